import type { PhaseContext } from '../phase.js';
import { ArrivalSchedule, SampleIndexStream } from '../plan.js';
import { Recorder } from '../recorder.js';
import type { TestSettings } from '../settings.js';
import type { Clock } from '../types.js';
import { runClosedLoop } from './closed-loop.js';
import { runServer } from './server.js';

export interface WarmupOutcome {
  readonly queryCount: number;
  /** The first warmup query's latency: what a user's first request costs. */
  readonly firstQueryLatencyNs: number | null;
}

/** Warmup queries keep the measured scenario's query shape; Offline's are 64-sample batches. */
function samplesPerQueryFor(settings: TestSettings, setSize: number): number {
  if (settings.scenario === 'multistream') return settings.samplesPerQuery;
  if (settings.scenario === 'offline') return Math.min(64, setSize);
  return 1;
}

export async function runWarmup(
  clock: Clock,
  newPhase: (recorder: Recorder) => PhaseContext,
  settings: TestSettings,
  set: Int32Array,
): Promise<WarmupOutcome> {
  if (settings.warmupQueryCount <= 0) return { queryCount: 0, firstQueryLatencyNs: null };
  const warm = new Recorder(clock);
  const ctx = newPhase(warm);
  const perQuery = samplesPerQueryFor(settings, set.length);
  let next = 0;
  // Warmup walks the loaded set in order, so it draws nothing from the plan's RNG streams:
  // the measured plan is the same whatever the warmup count.
  const nextQuery = (): Int32Array => {
    const indices = new Int32Array(perQuery);
    for (let i = 0; i < perQuery; i++) indices[i] = set[(next + i) % set.length]!;
    next += perQuery;
    return indices;
  };
  await runClosedLoop(ctx, nextQuery, (issued) => issued < settings.warmupQueryCount);
  let first: number | null = null;
  if (warm.queryCount > 0 && warm.isQueryDone(0)) {
    let latest = Number.NEGATIVE_INFINITY;
    for (let s = 0; s < warm.sampleCountOf(0); s++) latest = Math.max(latest, warm.sampleCompletedNs.get(s));
    if (Number.isFinite(latest)) first = latest - warm.queryIssuedNs.get(0);
  }
  return { queryCount: warm.queryCount, firstQueryLatencyNs: first };
}


/** How long the Server issue path warms up at the target rate before the measured window. */
const SERVER_PATH_WARMUP_NS = 500_000_000;

/**
 * Server's issue path is open-loop code the closed-loop warmup never runs: measured cold, its
 * first few hundred queries carry milliseconds of issue delay (JIT, first-time paths). Half a
 * second of Poisson arrivals at the target rate, on a schedule stream of its own (the measured
 * plan is unchanged) and not counted, warms it.
 */
export async function warmServerPath(ctx: PhaseContext, settings: TestSettings, set: Int32Array): Promise<number> {
  const qps = settings.targetQps ?? 0;
  if (qps <= 0 || settings.warmupQueryCount <= 0) return 0;
  const schedule = new ArrivalSchedule(qps, `${settings.seeds.schedule}2`);
  schedule.extendPast(SERVER_PATH_WARMUP_NS);
  await runServer(ctx, {
    schedule,
    samples: new SampleIndexStream(set, 1, `${settings.seeds.sampleIndex}2`),
    initialQueryCount: schedule.length,
    maxDurationNs: SERVER_PATH_WARMUP_NS * 4,
    // Exactly the 0.5 s of arrivals: a warmup is not extended for early stopping.
    maxQueryCount: schedule.length,
    latencyBoundNs: Number.POSITIVE_INFINITY,
    percentile: 0.99,
    confidence: settings.earlyStoppingConfidence,
  });
  return ctx.recorder.queryCount;
}
