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
  readonly queries: number;
  readonly samples: readonly SoakSample[];
  readonly rssAfterWarmup: number;
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
 * A Server run on the null backend at `qps` on the real clock for `seconds`, RSS and heap
 * sampled every second. The slopes, over the samples after warm-up, say whether memory grows
 * with the run: the Recorder's arrays (about 41 B/query, doubling) are expected to.
 */
export async function soakInProcess(seconds: number, qps: number): Promise<SoakResult> {
  const warmupSeconds = Math.max(1, Math.min(10, Math.floor(seconds / 6)));
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
  const first = after[0];
  const last = samples[samples.length - 1];
  return {
    seconds,
    targetQps: qps,
    warmupSeconds,
    queries: outcome.summary.queriesIssued,
    samples,
    rssAfterWarmup: first?.rss ?? Number.NaN,
    rssEnd: last?.rss ?? Number.NaN,
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
