import { obtainGc } from '../loadgen/gc.js';
import { buildHistogram, encodeHistogram } from '../loadgen/histogram.js';
import { sortedCopy } from '../loadgen/latency-stats.js';
import type { PhaseContext } from '../loadgen/phase.js';
import { offlineQueryIndices, selectSampleSet } from '../loadgen/plan.js';
import { RealClock } from '../loadgen/real-clock.js';
import { COMPLETED, Recorder } from '../loadgen/recorder.js';
import { runTest } from '../loadgen/run-test.js';
import { runOffline } from '../loadgen/scenarios/offline.js';
import { summarize } from '../loadgen/summarize.js';
import { benchSettings, constantNullSut, NullLibrary } from './null-run.js';
import { checkTarget, hrtimeNs, type Log, medianOf, silent, type TargetCheck } from './types.js';

export interface OfflineOptions {
  /** Samples in the one Offline query of each run. */
  readonly sampleCount: number;
  readonly repetitions: number;
}

export const OFFLINE_TARGET_SAMPLES_PER_SECOND = 2_000_000;

export interface OfflineRun {
  readonly sampleCount: number;
  /** Building the query, issuing it, the null SUT completing inline, recording: until runOffline resolves. */
  readonly issueCompleteRecordNs: number;
  /** summarize(): latency arrays, two sorts, percentiles, HDR histogram, early stopping. */
  readonly summarizeNs: number;
  readonly issueCompleteRecordSamplesPerSecond: number;
  readonly withSummarizeSamplesPerSecond: number;
  /** The harness's own Offline metric for the run (completed / longest latency). */
  readonly harnessMetricSamplesPerSecond: number;
}

/** Where summarize's time goes, timed piece by piece on the last run's recorder. */
export interface SummarizeBreakdown {
  readonly extractLatenciesNs: number;
  /** One sortedCopy of the latencies (summarize sorts two arrays of this size). */
  readonly sortNs: number;
  readonly buildHistogramNs: number;
  readonly encodeHistogramNs: number;
}

export interface OfflineResult {
  readonly options: OfflineOptions;
  /** A run of a tenth the size first, so the measured runs find the code compiled (not counted). */
  readonly warmupRun: OfflineRun;
  readonly runs: readonly OfflineRun[];
  readonly median: { readonly issueCompleteRecordSamplesPerSecond: number; readonly withSummarizeSamplesPerSecond: number };
  readonly summarizeBreakdown: SummarizeBreakdown;
  /** One full runTest (sample set, warmup-free, measured query, summarize, validity), wall time. */
  readonly runTest: { readonly sampleCount: number; readonly wallNs: number; readonly samplesPerSecond: number };
  readonly targets: readonly TargetCheck[];
}

/**
 * Null backend, Offline: the whole path at its fastest. NullSut with service time 0 completes
 * the query inside issueQuery (one completeRange), so what is timed is the load generator:
 * building the query, recording every sample, and summarizing.
 */
export async function runOfflineBench(options: OfflineOptions, log: Log = silent): Promise<OfflineResult> {
  const gc = obtainGc();
  const warmupRun = (await measuredOffline(Math.max(1, Math.floor(options.sampleCount / 10)))).run;
  const runs: OfflineRun[] = [];
  let breakdown: SummarizeBreakdown | null = null;
  for (let r = 0; r < options.repetitions; r++) {
    gc?.();
    const { run, recorder } = await measuredOffline(options.sampleCount);
    runs.push(run);
    log(`offline ${r + 1}/${options.repetitions}: ${fmt(run.issueCompleteRecordSamplesPerSecond)} samples/s issue+record, ${fmt(run.withSummarizeSamplesPerSecond)} with summarize`);
    if (r === options.repetitions - 1) breakdown = timeSummarizePieces(recorder);
  }
  gc?.();
  const fullRun = await fullRunTest(options.sampleCount);
  log(`offline runTest: ${fmt(fullRun.samplesPerSecond)} samples/s end to end`);
  const median = {
    issueCompleteRecordSamplesPerSecond: medianOf(runs.map((r) => r.issueCompleteRecordSamplesPerSecond)),
    withSummarizeSamplesPerSecond: medianOf(runs.map((r) => r.withSummarizeSamplesPerSecond)),
  };
  const target = OFFLINE_TARGET_SAMPLES_PER_SECOND;
  return {
    options,
    warmupRun,
    runs,
    median,
    summarizeBreakdown: breakdown ?? { extractLatenciesNs: 0, sortNs: 0, buildHistogramNs: 0, encodeHistogramNs: 0 },
    runTest: fullRun,
    targets: [
      checkTarget('Offline null: issue+complete+record (median)', median.issueCompleteRecordSamplesPerSecond, 'atLeast', target, 'samples/s'),
      checkTarget('Offline null: whole path incl. summarize (median)', median.withSummarizeSamplesPerSecond, 'atLeast', target, 'samples/s'),
      checkTarget('Offline null: full runTest wall time', fullRun.samplesPerSecond, 'atLeast', target, 'samples/s'),
    ],
  };
}

/** runTest's measured Offline path, in its pieces so each can be timed. */
async function measuredOffline(sampleCount: number): Promise<{ run: OfflineRun; recorder: Recorder }> {
  const clock = new RealClock();
  const settings = benchSettings({ scenario: 'offline', minQueryCount: sampleCount, offlineExpectedQps: 1 });
  const set = selectSampleSet(1024, 1024, settings.seeds.sampleSet);
  const recorder = new Recorder(clock);
  const ctx: PhaseContext = {
    clock,
    sut: constantNullSut(clock, 0),
    recorder,
    signal: new AbortController().signal,
    queryTimeoutNs: settings.queryTimeoutMs * 1e6,
  };
  const t0 = hrtimeNs();
  const { startNs } = await runOffline(ctx, offlineQueryIndices(set, sampleCount));
  const t1 = hrtimeNs();
  const summary = summarize({ recorder, startNs, settings });
  const t2 = hrtimeNs();
  if (summary.samplesCompleted !== sampleCount) throw new Error(`offline bench: ${summary.samplesCompleted} of ${sampleCount} samples completed`);
  const run: OfflineRun = {
    sampleCount,
    issueCompleteRecordNs: t1 - t0,
    summarizeNs: t2 - t1,
    issueCompleteRecordSamplesPerSecond: sampleCount / ((t1 - t0) / 1e9),
    withSummarizeSamplesPerSecond: sampleCount / ((t2 - t0) / 1e9),
    harnessMetricSamplesPerSecond: summary.metric.value ?? Number.NaN,
  };
  return { run, recorder };
}

function timeSummarizePieces(recorder: Recorder): SummarizeBreakdown {
  const t0 = hrtimeNs();
  const n = recorder.sampleCount;
  const latencies = new Float64Array(n);
  const origin = recorder.queryScheduledNs;
  for (let s = 0; s < n; s++) {
    if (recorder.sampleStatus.get(s) === COMPLETED) latencies[s] = recorder.sampleCompletedNs.get(s) - origin.get(recorder.sampleQuery.get(s));
  }
  const t1 = hrtimeNs();
  const sorted = sortedCopy(latencies);
  const t2 = hrtimeNs();
  const histogram = buildHistogram(sorted);
  const t3 = hrtimeNs();
  encodeHistogram(histogram);
  const t4 = hrtimeNs();
  return { extractLatenciesNs: t1 - t0, sortNs: t2 - t1, buildHistogramNs: t3 - t2, encodeHistogramNs: t4 - t3 };
}

async function fullRunTest(sampleCount: number): Promise<OfflineResult['runTest']> {
  const clock = new RealClock();
  const settings = benchSettings({ scenario: 'offline', minQueryCount: sampleCount, offlineExpectedQps: 1, minDurationMs: 1 });
  const t0 = hrtimeNs();
  const outcome = await runTest(constantNullSut(clock, 0), new NullLibrary(), settings, { clock });
  const wallNs = hrtimeNs() - t0;
  const completed = outcome.summary.samplesCompleted;
  return { sampleCount: completed, wallNs, samplesPerSecond: completed / (wallNs / 1e9) };
}

function fmt(value: number): string {
  return `${(value / 1e6).toFixed(2)}M`;
}
