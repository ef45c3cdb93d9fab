import type { ValidityCheck } from '../results/types.js';
import { measureOfflineRate, measureSaturatedRate } from './calibrate.js';
import { minQueriesForEstimate, minUnderLatencyQueries } from './early-stopping.js';
import type { PhaseContext } from './phase.js';
import { ArrivalSchedule, accuracyOrder, offlineQueryIndices, SampleIndexStream, selectSampleSet } from './plan.js';
import { Recorder } from './recorder.js';
import { runClosedLoop } from './scenarios/closed-loop.js';
import { runOffline } from './scenarios/offline.js';
import { runServer } from './scenarios/server.js';
import type { TestSettings } from './settings.js';
import { type MeasuredSummary, summarize } from './summarize.js';
import type { Clock, QuerySampleLibrary, SystemUnderTest } from './types.js';
import { checkValidity } from './validity.js';

export type RunPhase = 'warmup' | 'calibration' | 'measure' | 'accuracy';

export interface RunTestOptions {
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  /** Keep each response's data (accuracy mode always does). */
  readonly keepResponses?: boolean;
  /** Told when a phase starts, with the recorder it fills (progress, detail streaming). */
  readonly onPhase?: (phase: RunPhase, recorder: Recorder) => void;
  /** Server without targetQps: target = this share of the measured saturated rate. */
  readonly calibrationShare?: number;
  readonly calibrationDurationNs?: number;
}

export interface RunTestOutcome {
  readonly status: 'completed' | 'aborted';
  /** The settings the run used, with calibrated values filled in. */
  readonly settings: TestSettings;
  readonly recorder: Recorder;
  readonly startNs: number;
  readonly summary: MeasuredSummary;
  readonly checks: readonly ValidityCheck[];
  readonly warmup: { readonly queryCount: number; readonly firstQueryLatencyNs: number | null };
  /** How derived settings were chosen and what else the user should know. */
  readonly notes: readonly string[];
}

const DEFAULT_CALIBRATION_SHARE = 0.5;
const DEFAULT_CALIBRATION_NS = 1_500_000_000;

/**
 * Runs one test: load the sample set, warm up, calibrate what the user left open, run the
 * scenario, summarize and judge. Never throws for a failing SUT: failures are counted.
 */
export async function runTest(
  sut: SystemUnderTest,
  qsl: QuerySampleLibrary,
  requested: TestSettings,
  options: RunTestOptions,
): Promise<RunTestOutcome> {
  const { clock } = options;
  const signal = options.signal ?? new AbortController().signal;
  const notes: string[] = [];
  const psc = Math.min(requested.performanceSampleCount || qsl.performanceSampleCount, qsl.totalSampleCount);
  if (psc < 1) throw new Error(`workload ${qsl.name} has no samples`);
  const keepResponses = requested.mode === 'accuracy' || options.keepResponses === true;
  const newPhase = (phase: RunPhase, recorder: Recorder): PhaseContext => {
    options.onPhase?.(phase, recorder);
    return { clock, sut, recorder, signal, queryTimeoutNs: requested.queryTimeoutMs * 1e6 };
  };

  if (requested.mode === 'accuracy') {
    const recorder = new Recorder(clock, { keepResponses: true });
    const startNs = await runAccuracy(newPhase('accuracy', recorder), qsl, requested, psc);
    return finish(requested, recorder, startNs, { queryCount: 0, firstQueryLatencyNs: null }, notes, signal);
  }

  const set = selectSampleSet(qsl.totalSampleCount, psc, requested.seeds.sampleSet);
  await qsl.loadSamples(Array.from(set));
  try {
    const warmup = await runWarmup(clock, newPhase, requested, set);
    let settings = requested;
    if (settings.scenario === 'server' && settings.targetQps === null && !signal.aborted) {
      settings = { ...settings, targetQps: await calibrateServerRate(clock, sut, set, settings, options, notes, signal) };
    }
    if (settings.scenario === 'offline' && settings.offlineExpectedQps === null && !signal.aborted) {
      const cal = await measureOfflineRate(clock, sut, set, 500_000_000, signal);
      const expected = Math.max(1, Math.floor(cal.samplesPerSecond));
      settings = { ...settings, offlineExpectedQps: expected };
      notes.push(`no --offline-expected-qps given: measured ${expected} samples/s with ${cal.method}`);
    }
    const recorder = new Recorder(clock, { keepResponses });
    const ctx = newPhase('measure', recorder);
    const startNs = await runMeasured(ctx, settings, set, notes);
    return finish(settings, recorder, startNs, warmup, notes, signal);
  } finally {
    await qsl.unloadSamples(Array.from(set));
  }
}

function finish(
  settings: TestSettings,
  recorder: Recorder,
  startNs: number,
  warmup: RunTestOutcome['warmup'],
  notes: string[],
  signal: AbortSignal,
): RunTestOutcome {
  const summary = summarize({ recorder, startNs, settings });
  if (summary.loadgenBottleneck) {
    notes.push(
      'issue delay p99 exceeds 10% of the latency bound: the load generator, not the system under test, limited this run',
    );
  }
  return {
    status: signal.aborted ? 'aborted' : 'completed',
    settings,
    recorder,
    startNs,
    summary,
    checks: checkValidity(settings, summary),
    warmup,
    notes,
  };
}

/** A calibration probe must keep its p99 within this share of the bound to be trusted. */
const PROBE_LATENCY_SHARE = 0.5;
const PROBE_BACKOFF = 0.6;
const MAX_PROBES = 4;

/**
 * Picks a Server rate when the user gave none: the saturated single-sample rate times
 * `calibrationShare`, then confirmed by short Server probes at that rate (its own schedule
 * stream, so the measured plan is untouched) that must keep p99 within half the bound and the
 * issue delay small; each failed probe backs the rate off by 40%. Every step goes into notes.
 */
async function calibrateServerRate(
  clock: Clock,
  sut: SystemUnderTest,
  set: Int32Array,
  settings: TestSettings,
  options: RunTestOptions,
  notes: string[],
  signal: AbortSignal,
): Promise<number> {
  const cal = await measureSaturatedRate(clock, sut, set, options.calibrationDurationNs ?? DEFAULT_CALIBRATION_NS, 4, signal);
  const share = options.calibrationShare ?? DEFAULT_CALIBRATION_SHARE;
  let qps = Math.max(1, Math.floor(cal.samplesPerSecond * share));
  notes.push(
    `no --target-qps given: calibrated ${cal.samplesPerSecond.toFixed(1)} samples/s at saturation (${cal.method}); starting from ${Math.round(share * 100)}% of that, ${qps} QPS`,
  );
  const boundNs = (settings.latencyBoundMs ?? Number.POSITIVE_INFINITY) * 1e6;
  for (let probe = 1; probe <= MAX_PROBES && !signal.aborted; probe++) {
    const probeSettings: TestSettings = {
      ...settings,
      targetQps: qps,
      minDurationMs: 1000,
      minQueryCount: 1,
      maxQueryCount: 0,
      seeds: { ...settings.seeds, schedule: `${settings.seeds.schedule}1` },
    };
    const recorder = new Recorder(clock);
    options.onPhase?.('calibration', recorder);
    const ctx: PhaseContext = { clock, sut, recorder, signal, queryTimeoutNs: settings.queryTimeoutMs * 1e6 };
    const schedule = new ArrivalSchedule(qps, probeSettings.seeds.schedule);
    schedule.extendPast(1e9);
    const { startNs } = await runServer(ctx, {
      schedule,
      samples: new SampleIndexStream(set, 1, settings.seeds.sampleIndex),
      initialQueryCount: schedule.length,
      maxDurationNs: 5e9,
      maxQueryCount: 0,
      latencyBoundNs: boundNs,
      percentile: 0.99,
      confidence: settings.earlyStoppingConfidence,
    });
    const probeSummary = summarize({ recorder, startNs, settings: { ...probeSettings, latencyPercentile: 99 } });
    const p99 = probeSummary.targetPercentileNs ?? Number.POSITIVE_INFINITY;
    const ok = p99 <= PROBE_LATENCY_SHARE * boundNs && !probeSummary.loadgenBottleneck;
    notes.push(
      `calibration probe ${probe}: 1 s of Server at ${qps} QPS gave p99 ${(p99 / 1e6).toFixed(3)} ms${probeSummary.loadgenBottleneck ? ' with the load generator lagging' : ''}: ${ok ? 'kept' : `over ${Math.round(PROBE_LATENCY_SHARE * 100)}% of the bound, backing off`}`,
    );
    if (ok) break;
    qps = Math.max(1, Math.floor(qps * PROBE_BACKOFF));
  }
  return qps;
}

function samplesPerQueryFor(settings: TestSettings, setSize: number): number {
  if (settings.scenario === 'multistream') return settings.samplesPerQuery;
  if (settings.scenario === 'offline') return Math.min(64, setSize);
  return 1;
}

async function runWarmup(
  clock: Clock,
  newPhase: (phase: RunPhase, recorder: Recorder) => PhaseContext,
  settings: TestSettings,
  set: Int32Array,
): Promise<RunTestOutcome['warmup']> {
  if (settings.warmupQueryCount <= 0) return { queryCount: 0, firstQueryLatencyNs: null };
  const warm = new Recorder(clock);
  const ctx = newPhase('warmup', warm);
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

async function runMeasured(ctx: PhaseContext, settings: TestSettings, set: Int32Array, notes: string[]): Promise<number> {
  const fraction = settings.latencyPercentile / 100;
  const confidence = settings.earlyStoppingConfidence;
  const maxDurationNs = settings.maxDurationMs * 1e6;
  const minDurationNs = settings.minDurationMs * 1e6;
  switch (settings.scenario) {
    case 'singlestream':
    case 'multistream': {
      const perQuery = settings.scenario === 'multistream' ? settings.samplesPerQuery : 1;
      const stream = new SampleIndexStream(set, perQuery, settings.seeds.sampleIndex);
      const needed = Math.max(settings.minQueryCount, minQueriesForEstimate(fraction, confidence));
      notes.push(
        `early stopping needs at least ${minQueriesForEstimate(fraction, confidence)} queries for a p${settings.latencyPercentile} estimate; the run continues until ${needed} queries and ${settings.minDurationMs} ms`,
      );
      const { startNs } = await runClosedLoop(ctx, () => stream.next(), (issued, elapsedNs) => {
        if (elapsedNs >= maxDurationNs) return false;
        if (settings.maxQueryCount > 0 && issued >= settings.maxQueryCount) return false;
        return issued < needed || elapsedNs < minDurationNs;
      });
      return startNs;
    }
    case 'server': {
      const targetQps = settings.targetQps!;
      const schedule = new ArrivalSchedule(targetQps, settings.seeds.schedule);
      const esMin = minUnderLatencyQueries(0, fraction, confidence);
      schedule.extendPast(minDurationNs);
      schedule.extendTo(Math.max(settings.minQueryCount, esMin), maxDurationNs);
      notes.push(
        `planned ${schedule.length} Poisson arrivals at ${targetQps} QPS before the clock started (min duration ${settings.minDurationMs} ms, at least ${Math.max(settings.minQueryCount, esMin)} queries; early stopping needs ${esMin} with none over the bound)`,
      );
      const outcome = await runServer(ctx, {
        schedule,
        samples: new SampleIndexStream(set, 1, settings.seeds.sampleIndex),
        initialQueryCount: schedule.length,
        maxDurationNs,
        maxQueryCount: settings.maxQueryCount,
        latencyBoundNs: (settings.latencyBoundMs ?? Number.POSITIVE_INFINITY) * 1e6,
        percentile: fraction,
        confidence,
      });
      if (outcome.extensions > 0) {
        notes.push(`the plan was extended ${outcome.extensions}x (same seeded stream) so early stopping could hold`);
      }
      if (outcome.stoppedEarly) notes.push(`issuing stopped early: ${outcome.stoppedEarly}`);
      return outcome.startNs;
    }
    case 'offline': {
      const expected = settings.offlineExpectedQps ?? 1;
      // 1.1 x duration x QPS, truncated as LoadGen's integer cast does; computed as 11/10000 of
      // ms x QPS so that 1.1 x 1 s x 3000 is 3300, not 3300.0000000000005.
      const sampleCount = Math.max(settings.minQueryCount, Math.floor((11 * settings.minDurationMs * expected) / 10_000));
      notes.push(
        `Offline query of ${sampleCount} samples = max(minQueryCount ${settings.minQueryCount}, 1.1 x ${settings.minDurationMs} ms x ${expected} samples/s)`,
      );
      const { startNs } = await runOffline(ctx, offlineQueryIndices(set, sampleCount));
      return startNs;
    }
  }
}

/**
 * Accuracy mode: every dataset sample exactly once, in a seeded order, loaded a performance
 * set at a time. Queries keep the scenario's shape (one query per chunk for Offline, the
 * samples-per-query of MultiStream) and are issued closed-loop: pacing is irrelevant here.
 */
async function runAccuracy(ctx: PhaseContext, qsl: QuerySampleLibrary, settings: TestSettings, psc: number): Promise<number> {
  const order = accuracyOrder(qsl.totalSampleCount, settings.seeds.sampleSet);
  const startNs = ctx.clock.nowNs();
  for (let from = 0; from < order.length && !ctx.signal.aborted; from += psc) {
    const chunk = order.subarray(from, Math.min(order.length, from + psc));
    await qsl.loadSamples(Array.from(chunk));
    try {
      if (settings.scenario === 'offline') {
        await runOffline(ctx, chunk);
      } else {
        const perQuery = settings.scenario === 'multistream' ? settings.samplesPerQuery : 1;
        let next = 0;
        await runClosedLoop(
          ctx,
          () => {
            const indices = chunk.subarray(next, Math.min(chunk.length, next + perQuery));
            next += indices.length;
            return indices;
          },
          () => next < chunk.length,
        );
      }
    } finally {
      await qsl.unloadSamples(Array.from(chunk));
    }
  }
  return startNs;
}
