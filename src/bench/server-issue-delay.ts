import { obtainGc } from '../loadgen/gc.js';
import type { MainThreadStats } from '../loadgen/main-thread-watch.js';
import { DEFAULT_SPIN_WINDOW_NS, RealClock } from '../loadgen/real-clock.js';
import { runTest } from '../loadgen/run-test.js';
import { type GcPauses, watchGcPauses } from './gc.js';
import { type DelayPercentilesNs, type IssueFloor, measureIssueFloor } from './issue-floor.js';
import { benchSettings, constantNullSut, NullLibrary } from './null-run.js';
import { checkTarget, hrtimeNs, type Log, silent, type TargetCheck } from './types.js';

export const ISSUE_DELAY_P99_TARGET_NS = 100_000;
export const ISSUE_DELAY_P999_TARGET_NS = 1_000_000;

export interface ServerSearchOptions {
  readonly startQps: number;
  readonly probeDurationMs: number;
  /** Bisection steps after the doubling phase brackets the limit. */
  readonly maxBisections: number;
  /** Doubling stops here even if the p99 still holds. */
  readonly maxQps: number;
}

export interface ServerOptions {
  readonly targetQps: number;
  readonly durationMs: number;
  /** Find the highest rate whose issue delay p99 stays within target; null: skip. */
  readonly search: ServerSearchOptions | null;
}

export interface ServerProbe {
  readonly targetQps: number;
  readonly durationMs: number;
  readonly queries: number;
  readonly issueDelayNs: DelayPercentilesNs;
  /** Schedule-to-completion: with inline completion, issue delay plus the issue path. */
  readonly sampleLatencyP99Ns: number;
  readonly completedSamplesPerSecond: number;
  readonly scheduledSamplesPerSecond: number;
  /** The harness's own verdict: issue delay p99 over 10% of the latency bound. */
  readonly loadgenBottleneck: boolean;
  readonly wallNs: number;
  /** GC pauses during the whole runTest call (warmup and summarize included). */
  readonly gcPauses: GcPauses;
  /** The measured window alone: GC pauses and the time the main thread waited for a CPU. */
  readonly mainThread: MainThreadStats | null;
  readonly p99WithinTarget: boolean;
}

export interface ServerResult {
  readonly options: ServerOptions;
  readonly spinWindowNs: number;
  readonly run: ServerProbe;
  /** The same schedule with no load generator: the lateness this machine imposes on any scheduler. */
  readonly floor: IssueFloor;
  readonly search: {
    readonly probes: readonly ServerProbe[];
    /** Highest probed rate with issue delay p99 <= target; null when even the lowest failed. */
    readonly highestPassingQps: number | null;
    readonly lowestFailingQps: number | null;
  } | null;
  readonly targets: readonly TargetCheck[];
}

/**
 * Null backend, Server: how late the load generator issues on the real clock. NullSut with
 * service time 0 completes inline, so the issue delay (issued minus scheduled) is the load
 * generator's own lateness: timer wake-ups, the spin window, its bookkeeping, GC pauses.
 */
export async function runServerBench(options: ServerOptions, log: Log = silent): Promise<ServerResult> {
  const run = await probe(options.targetQps, options.durationMs);
  log(`server ${options.targetQps} QPS: issue delay p99 ${us(run.issueDelayNs.p99)}, p99.9 ${us(run.issueDelayNs.p999)}`);
  obtainGc()?.();
  const floor = await measureIssueFloor(options.targetQps, options.durationMs);
  log(`server floor (bare scheduler, ${options.targetQps} QPS): issue delay p99 ${us(floor.bareSchedulerDelayNs.p99)}, p99.9 ${us(floor.bareSchedulerDelayNs.p999)}`);
  const search = options.search === null ? null : await searchHighestQps(options.search, log);
  const targets = [
    checkTarget(`Server null ${options.targetQps} QPS: issue delay p99`, run.issueDelayNs.p99 / 1000, 'atMost', ISSUE_DELAY_P99_TARGET_NS / 1000, 'µs'),
    checkTarget(`Server null ${options.targetQps} QPS: issue delay p99.9`, run.issueDelayNs.p999 / 1000, 'atMost', ISSUE_DELAY_P999_TARGET_NS / 1000, 'µs'),
  ];
  return { options, spinWindowNs: DEFAULT_SPIN_WINDOW_NS, run, floor, search, targets };
}

async function searchHighestQps(options: ServerSearchOptions, log: Log): Promise<NonNullable<ServerResult['search']>> {
  const probes: ServerProbe[] = [];
  let passing: number | null = null;
  let failing: number | null = null;
  const step = async (qps: number): Promise<boolean> => {
    const p = await probe(qps, options.probeDurationMs);
    probes.push(p);
    log(`server search ${qps} QPS: issue delay p99 ${us(p.issueDelayNs.p99)} ${p.p99WithinTarget ? 'ok' : 'over'}`);
    return p.p99WithinTarget;
  };
  // Doubling up from the start rate (halving down if even that fails), then bisection.
  let qps = options.startQps;
  if (await step(qps)) {
    passing = qps;
    while (failing === null && qps * 2 <= options.maxQps) {
      qps *= 2;
      if (await step(qps)) passing = qps;
      else failing = qps;
    }
  } else {
    failing = qps;
    for (let i = 0; i < 3 && passing === null; i++) {
      qps = Math.max(1, Math.floor(qps / 2));
      if (await step(qps)) passing = qps;
      else failing = qps;
    }
  }
  for (let i = 0; i < options.maxBisections && passing !== null && failing !== null && failing / passing > 1.05; i++) {
    const mid = Math.round((passing + failing) / 2);
    if (await step(mid)) passing = mid;
    else failing = mid;
  }
  return { probes, highestPassingQps: passing, lowestFailingQps: failing };
}

async function probe(targetQps: number, durationMs: number): Promise<ServerProbe> {
  obtainGc()?.();
  const clock = new RealClock();
  const settings = benchSettings({
    scenario: 'server',
    targetQps,
    minDurationMs: durationMs,
    maxDurationMs: durationMs * 2 + 5000,
    latencyPercentile: 99,
    latencyBoundMs: 10,
    warmupQueryCount: 1000,
  });
  const stopWatch = watchGcPauses();
  const t0 = hrtimeNs();
  const outcome = await runTest(constantNullSut(clock, 0), new NullLibrary(), settings, { clock, collectGarbageFirst: true });
  const wallNs = hrtimeNs() - t0;
  const gcPauses = await stopWatch();
  const { summary } = outcome;
  const delay = summary.issueDelay;
  if (delay === null) throw new Error('server bench: the run recorded no issue delays');
  const issueDelayNs: DelayPercentilesNs = {
    p50: delay.percentilesNs['50'] ?? Number.NaN,
    p90: delay.percentilesNs['90'] ?? Number.NaN,
    p99: delay.percentilesNs['99'] ?? Number.NaN,
    p999: delay.percentilesNs['99.9'] ?? Number.NaN,
    max: delay.maxNs,
    mean: delay.meanNs,
  };
  return {
    targetQps,
    durationMs,
    queries: summary.queriesIssued,
    issueDelayNs,
    sampleLatencyP99Ns: summary.sampleLatency?.percentilesNs['99'] ?? Number.NaN,
    completedSamplesPerSecond: summary.completedSamplesPerSecond ?? Number.NaN,
    scheduledSamplesPerSecond: summary.scheduledSamplesPerSecond ?? Number.NaN,
    loadgenBottleneck: summary.loadgenBottleneck,
    wallNs,
    gcPauses,
    mainThread: summary.mainThread ?? null,
    p99WithinTarget: issueDelayNs.p99 <= ISSUE_DELAY_P99_TARGET_NS,
  };
}

function us(ns: number): string {
  return `${(ns / 1000).toFixed(1)} µs`;
}
