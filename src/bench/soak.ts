import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { V8_HEAP_FLAGS } from '../cli/cli-process.js';
import { RealClock } from '../loadgen/real-clock.js';
import type { Recorder } from '../loadgen/recorder.js';
import { runTest } from '../loadgen/run-test.js';
import { benchSettings, constantNullSut, NullLibrary } from './null-run.js';
import { slopeOf } from './types.js';

export interface SoakSample {
  readonly elapsedMs: number;
  readonly queries: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
}

export interface SoakResult {
  readonly seconds: number;
  readonly targetQps: number;
  readonly warmupSeconds: number;
  /** Length of the two windows whose mean RSS is compared. */
  readonly windowSeconds: number;
  readonly queries: number;
  readonly samples: readonly SoakSample[];
  /** Mean RSS over the first window after warm-up. */
  readonly rssAfterWarmup: number;
  /** Mean RSS over the last window. */
  readonly rssEnd: number;
  /** Least-squares slopes over the samples after warm-up. */
  readonly rssSlopeBytesPerSecond: number;
  readonly rssSlopeBytesPerQuery: number;
  readonly heapSlopeBytesPerSecond: number;
  readonly heapSlopeBytesPerQuery: number;
  readonly issueDelayP99Ns: number;
}

function usage(): { rss: number; heapUsed: number; external: number } {
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
}

/**
 * Warm-up and comparison windows for a soak of `seconds`. RSS follows V8's old generation in a
 * sawtooth (promotion, then a mark-compact that returns pages): at 1,000 QPS it swung between
 * about 98 and 110 MiB once a minute, so two single samples could differ by 12 MiB either way;
 * means over a minute each are what says whether memory grows. The old generation also takes minutes, not
 * seconds, to reach that steady swing when the issue path allocates little (one-minute means
 * 99.6, 102.0, 104.3 MiB, then within 1 MiB for the seven minutes after), so the warm-up is a
 * fifth of the soak: two minutes of ten. A leak grows all the way through; this does not.
 */
export function soakWindows(seconds: number): { warmupSeconds: number; windowSeconds: number } {
  const warmupSeconds = Math.max(1, Math.floor(seconds / 5));
  return { warmupSeconds, windowSeconds: Math.max(1, Math.min(60, Math.floor((seconds - warmupSeconds) / 4))) };
}

/** Mean RSS of the samples in [fromMs, toMs); the nearest sample when none falls inside. */
function meanRss(samples: readonly SoakSample[], fromMs: number, toMs: number): number {
  const inside = samples.filter((s) => s.elapsedMs >= fromMs && s.elapsedMs < toMs);
  if (inside.length > 0) return inside.reduce((sum, s) => sum + s.rss, 0) / inside.length;
  let nearest = samples[0];
  for (const s of samples) if (Math.abs(s.elapsedMs - fromMs) < Math.abs((nearest?.elapsedMs ?? 0) - fromMs)) nearest = s;
  return nearest?.rss ?? Number.NaN;
}

/**
 * A Server run on the null backend at `qps` on the real clock for `seconds`, RSS and heap
 * sampled every second. The slopes, over the samples after warm-up, say whether memory grows
 * with the run; so does the mean RSS of the last window against the first after warm-up.
 */
export async function soakInProcess(seconds: number, qps: number): Promise<SoakResult> {
  const { warmupSeconds, windowSeconds } = soakWindows(seconds);
  const clock = new RealClock();
  const settings = benchSettings({
    scenario: 'server',
    targetQps: qps,
    minDurationMs: seconds * 1000,
    maxDurationMs: seconds * 2000 + 10_000,
    latencyPercentile: 99,
    latencyBoundMs: 10,
    warmupQueryCount: 100,
  });
  const samples: SoakSample[] = [];
  let live: Recorder | null = null;
  let startMs = 0;
  const sample = (): void => {
    const m = usage();
    samples.push({ elapsedMs: performance.now() - startMs, queries: live?.queryCount ?? 0, rss: m.rss, heapUsed: m.heapUsed, external: m.external });
  };
  const timers: NodeJS.Timeout[] = [];
  const outcome = await runTest(constantNullSut(clock, 0), new NullLibrary(), settings, {
    clock,
    collectGarbageFirst: true,
    onPhase: (phase, recorder) => {
      if (phase !== 'measure') return;
      live = recorder;
      startMs = performance.now();
      sample();
      timers.push(setInterval(sample, 1000));
    },
  });
  // The last sample is the last one taken during the run: summarize's arrays come after it.
  for (const timer of timers) clearInterval(timer);
  const after = samples.filter((s) => s.elapsedMs >= warmupSeconds * 1000);
  const rssSlope = slopeOf(after.map((s) => ({ x: s.elapsedMs / 1000, y: s.rss })));
  const heapSlope = slopeOf(after.map((s) => ({ x: s.elapsedMs / 1000, y: s.heapUsed + s.external })));
  const perQuery = slopeOf(after.map((s) => ({ x: s.elapsedMs / 1000, y: s.queries })));
  const endMs = samples[samples.length - 1]?.elapsedMs ?? 0;
  return {
    seconds,
    targetQps: qps,
    warmupSeconds,
    windowSeconds,
    queries: outcome.summary.queriesIssued,
    samples,
    rssAfterWarmup: meanRss(samples, warmupSeconds * 1000, (warmupSeconds + windowSeconds) * 1000),
    rssEnd: meanRss(samples, endMs - windowSeconds * 1000, endMs + 1),
    rssSlopeBytesPerSecond: rssSlope,
    rssSlopeBytesPerQuery: rssSlope / perQuery,
    heapSlopeBytesPerSecond: heapSlope,
    heapSlopeBytesPerQuery: heapSlope / perQuery,
    issueDelayP99Ns: outcome.summary.issueDelay?.percentilesNs['99'] ?? Number.NaN,
  };
}

/** The soak in a fresh `node` (dist/bench/soak-child.js) under the bin's V8 flags: its RSS starts clean. */
export function soakInChild(seconds: number, qps: number): Promise<SoakResult> {
  const script = fileURLToPath(new URL('./soak-child.js', import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', ...V8_HEAP_FLAGS, script, String(seconds), String(qps)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`soak child exited with ${code}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as SoakResult);
      } catch (error) {
        reject(new Error(`soak child printed no result: ${(error as Error).message}`));
      }
    });
  });
}
