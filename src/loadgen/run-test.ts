import type { ValidityCheck } from '../results/types.js';
import {
  CALIBRATED_RATE_SHARE,
  measureOfflineRate,
  OFFLINE_CALIBRATION_HEADROOM,
  OFFLINE_TOKEN_CALIBRATION_HEADROOM,
  SATURATION_DURATION_NS,
} from './calibrate.js';
import { calibrateServerRate } from './calibrate-server.js';
import { obtainGc } from './gc.js';
import { bottleneckCauses, type MainThreadStats, watchMainThread } from './main-thread-watch.js';
import type { PhaseContext } from './phase.js';
import { selectSampleSet } from './plan.js';
import { Recorder } from './recorder.js';
import { runAccuracy } from './scenarios/accuracy.js';
import { runMeasured } from './scenarios/measured.js';
import { runWarmup, type WarmupOutcome, warmServerPath } from './scenarios/warmup.js';
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
  /**
   * Server: queries of the measured phase the SUT's client could not send at once because its
   * cap on outstanding requests was reached. More than zero means the load generator side, not
   * the system under test, queued them.
   */
  readonly heldBackQueries?: () => number;
  /**
   * A full garbage collection just before the measured window (performance runs on the real
   * clock): the window then starts with V8's old generation compacted, so a major collection,
   * a pause of milliseconds, is less likely to fall inside it. In six fresh processes running
   * 10 s at 10,000 QPS, every window without it had a 2.5-2.9 ms collection (max issue delay
   * 2.6-2.9 ms); with it the longest was 0.64-0.74 ms. Collections inside the
   * window still happen and are reported (summary.mainThread).
   */
  readonly collectGarbageFirst?: boolean;
}

export interface RunTestOutcome {
  readonly status: 'completed' | 'aborted';
  /** The settings the run used, with calibrated values filled in. */
  readonly settings: TestSettings;
  readonly recorder: Recorder;
  readonly startNs: number;
  readonly summary: MeasuredSummary;
  readonly checks: readonly ValidityCheck[];
  readonly warmup: WarmupOutcome;
  /** How derived settings were chosen and what else the user should know. */
  readonly notes: readonly string[];
}


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
    const recorder = new Recorder(clock, { keepResponses: true, countTokens: requested.tokenLatencies });
    const startNs = await runAccuracy(newPhase('accuracy', recorder), qsl, requested, psc);
    return finish(requested, recorder, startNs, { queryCount: 0, firstQueryLatencyNs: null }, notes, signal);
  }

  const set = selectSampleSet(qsl.totalSampleCount, psc, requested.seeds.sampleSet);
  await qsl.loadSamples(Array.from(set));
  try {
    const warmup = await runWarmup(clock, (recorder) => newPhase('warmup', recorder), requested, set);
    let settings = requested;
    if (settings.scenario === 'server' && settings.targetQps === null && !signal.aborted) {
      const calibration = {
        durationNs: options.calibrationDurationNs ?? SATURATION_DURATION_NS,
        share: options.calibrationShare ?? CALIBRATED_RATE_SHARE,
        onProbe: (recorder: Recorder) => options.onPhase?.('calibration', recorder),
      };
      settings = { ...settings, targetQps: await calibrateServerRate(clock, sut, set, settings, calibration, notes, signal) };
    }
    if (settings.scenario === 'offline' && settings.offlineExpectedQps === null && !signal.aborted) {
      const cal = await measureOfflineRate(clock, sut, set, 500_000_000, signal);
      const measured = Math.max(1, Math.floor(cal.samplesPerSecond));
      // A half-second measurement on a shared machine often reads 10-20% low (cold caches, a
      // neighbour's burst); LoadGen's 1.1x margin alone then ends the query before the minimum
      // duration and the run is INVALID. The headroom costs run length, never validity.
      const headroom = settings.tokenLatencies ? OFFLINE_TOKEN_CALIBRATION_HEADROOM : OFFLINE_CALIBRATION_HEADROOM;
      const expected = Math.ceil(measured * headroom);
      settings = { ...settings, offlineExpectedQps: expected };
      notes.push(
        `no --offline-expected-qps given: measured ${measured} samples/s with ${cal.method}; sized the query for ${expected} (${headroom}x, so a faster steady state still lasts the minimum duration)`,
      );
    }
    if (settings.scenario === 'server' && !signal.aborted) {
      const warmed = await warmServerPath(newPhase('warmup', new Recorder(clock)), settings, set);
      if (warmed > 0) notes.push(`warmed the Server issue path with ${warmed} uncounted queries at ${settings.targetQps} QPS (0.5 s)`);
    }
    const recorder = new Recorder(clock, { keepResponses, countTokens: settings.tokenLatencies });
    const ctx = newPhase('measure', recorder);
    if (options.collectGarbageFirst && settings.mode === 'performance') obtainGc()?.();
    const stopWatch = watchMainThread();
    const startNs = await runMeasured(ctx, settings, set, notes);
    const mainThread = await stopWatch();
    return finish(settings, recorder, startNs, warmup, notes, signal, options.heldBackQueries?.() ?? 0, mainThread);
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
  heldBackQueries = 0,
  mainThread: MainThreadStats | null = null,
): RunTestOutcome {
  recorder.seal();
  let summary = summarize({ recorder, startNs, settings });
  if (mainThread !== null) summary = { ...summary, mainThread };
  if (summary.loadgenBottleneck) {
    notes.push(
      'issue delay p99 exceeds 10% of the latency bound: the load generator, not the system under test, limited this run',
    );
  }
  if (settings.scenario === 'server' && heldBackQueries > 0) {
    summary = { ...summary, loadgenBottleneck: true };
    notes.push(
      `${heldBackQueries} queries waited in the client because its cap on outstanding requests was reached: the load generator side held them back (raise --max-outstanding / --connections)`,
    );
  }
  if (summary.loadgenBottleneck && mainThread !== null) {
    const boundNs = settings.latencyBoundMs === null ? null : settings.latencyBoundMs * 1e6;
    notes.push(...bottleneckCauses(mainThread, summary.durationNs, boundNs));
  }
  if (recorder.lateOrDuplicateCompletions > 0) {
    notes.push(
      `${recorder.lateOrDuplicateCompletions} completions arrived for samples already settled (answered twice, or after being declared missing): ignored`,
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

