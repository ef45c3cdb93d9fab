import type { EarlyStoppingResult, LatencyStats, ScenarioSummary } from '../results/types.js';
import { latencyEstimateEarlyStopping, serverEarlyStopping } from './early-stopping.js';
import { latencyStats, percentKey, sortedCopy } from './latency-stats.js';
import { percentileOfSorted } from './percentiles.js';
import { COMPLETED, type Recorder } from './recorder.js';
import type { TestSettings } from './settings.js';
import { summarizeTokens } from './token-summary.js';

/** Issue delay p99 above this share of the latency bound means the load generator limited the run. */
export const LOADGEN_BOTTLENECK_SHARE = 0.1;

export interface PhaseMeasurement {
  readonly recorder: Recorder;
  readonly startNs: number;
  readonly settings: TestSettings;
}

/** Everything summarize derives, before warmup and accuracy are added by the caller. */
export type MeasuredSummary = Omit<ScenarioSummary, 'warmup' | 'accuracy'> & {
  /** The value judged against the bound: the target percentile with failures counted as over. */
  readonly targetPercentileNs: number | null;
  readonly overLatencyCount: number | null;
};

/**
 * Turns one measured phase into LoadGen's numbers. Latency origins: Server and Offline from
 * the scheduled time (Offline: t0); SingleStream/MultiStream from each query's issue time.
 * Failed and missing samples are excluded from the latency distribution but count as over
 * the bound wherever a verdict is made (target percentile, early stopping).
 */
export function summarize({ recorder, startNs, settings }: PhaseMeasurement): MeasuredSummary {
  const { scenario } = settings;
  const fromSchedule = scenario === 'server' || scenario === 'offline';
  const sampleCount = recorder.sampleCount;
  const queryCount = recorder.queryCount;
  const origin = fromSchedule ? recorder.queryScheduledNs : recorder.queryIssuedNs;

  const okLatencies = new Float64Array(recorder.completedSamples);
  const withFailures = new Float64Array(sampleCount);
  let k = 0;
  let lastCompletionNs = startNs;
  for (let s = 0; s < sampleCount; s++) {
    const q = recorder.sampleQuery.get(s);
    if (recorder.sampleStatus.get(s) === COMPLETED) {
      const done = recorder.sampleCompletedNs.get(s);
      const latency = done - origin.get(q);
      okLatencies[k++] = latency;
      withFailures[s] = latency;
      if (done > lastCompletionNs) lastCompletionNs = done;
    } else {
      withFailures[s] = Number.POSITIVE_INFINITY;
    }
  }
  const sortedOk = sortedCopy(okLatencies.subarray(0, k));
  // Without failures both are the same values: sort once (Offline sorts millions).
  const sortedAll = k === sampleCount ? sortedOk : sortedCopy(withFailures);
  const fraction = settings.latencyPercentile / 100;

  const queryLatencies = queryLatencyArrays(recorder, origin);
  const multiSample = scenario === 'multistream' || (scenario !== 'offline' && queryCount < sampleCount);
  const queryLatency = multiSample ? latencyStats(sortedCopy(queryLatencies.ok), [settings.latencyPercentile]) : null;

  const issueDelay = scenario === 'server' ? issueDelayStats(recorder) : null;
  const boundNs = settings.latencyBoundMs === null ? null : settings.latencyBoundMs * 1e6;
  const loadgenBottleneck =
    issueDelay !== null && boundNs !== null && (issueDelay.percentilesNs['99'] ?? 0) > LOADGEN_BOTTLENECK_SHARE * boundNs;

  const durationNs = runDurationNs(settings, recorder, startNs, lastCompletionNs);
  const targetPercentileNs = sortedAll.length > 0 ? percentileOfSorted(sortedAll, fraction) : null;
  const overLatencyCount = boundNs === null ? null : countAbove(sortedAll, boundNs);

  let earlyStopping: EarlyStoppingResult | null = null;
  if (settings.mode === 'performance') {
    earlyStopping = earlyStoppingFor(settings, sortedAll, sortedCopy(queryLatencies.withFailures), queryCount, overLatencyCount);
  }

  const lastIssuedQuery = queryCount - 1;
  const serverRates = scenario === 'server' && queryCount > 1 ? serverThroughput(recorder, startNs, boundNs, lastIssuedQuery) : null;
  const tokens = settings.tokenLatencies && recorder.tokenLog !== null ? summarizeTokens(recorder, startNs, settings) : null;
  let metric = headlineMetric(settings, recorder, durationNs, earlyStopping, serverRates?.completed ?? null);
  if (tokens !== null && (scenario === 'server' || scenario === 'offline')) {
    // LoadGen's LLM metrics: result_completed_tokens_per_second (Server), result_tokens_per_second (Offline).
    metric = { name: scenario === 'server' ? 'completed tokens per second' : 'tokens per second', value: tokens.outputTokensPerSecond ?? 0, unit: 'tokens/s' };
  }
  return {
    scenario,
    mode: settings.mode,
    metric,
    tokens,
    durationNs,
    queriesIssued: queryCount,
    samplesIssued: sampleCount,
    samplesCompleted: recorder.completedSamples,
    samplesFailed: recorder.failedSamples,
    samplesMissing: recorder.missingSamples,
    errors: [...recorder.errorCounts.entries()]
      .map(([message, count]) => ({ message, count }))
      .sort((a, b) => b.count - a.count),
    completedSamplesPerSecond: serverRates?.completed ?? null,
    scheduledSamplesPerSecond: serverRates?.scheduled ?? null,
    goodputSamplesPerSecond: serverRates?.goodput ?? null,
    sampleLatency: latencyStats(sortedOk, [settings.latencyPercentile]),
    queryLatency,
    issueDelay,
    loadgenBottleneck,
    earlyStopping,
    targetPercentileNs,
    overLatencyCount,
  };
}

function queryLatencyArrays(recorder: Recorder, origin: Recorder['queryIssuedNs']): { ok: Float64Array; withFailures: Float64Array } {
  const n = recorder.queryCount;
  const withFailures = new Float64Array(n);
  const ok: number[] = [];
  for (let q = 0; q < n; q++) {
    const first = recorder.firstSampleOf(q);
    const count = recorder.sampleCountOf(q);
    let latest = Number.NEGATIVE_INFINITY;
    let failed = false;
    for (let s = first; s < first + count; s++) {
      if (recorder.sampleStatus.get(s) !== COMPLETED) failed = true;
      else latest = Math.max(latest, recorder.sampleCompletedNs.get(s));
    }
    // A query is done when its last sample is: MultiStream's query latency.
    const latency = failed ? Number.POSITIVE_INFINITY : latest - origin.get(q);
    withFailures[q] = latency;
    if (!failed) ok.push(latency);
  }
  return { ok: Float64Array.from(ok), withFailures };
}

function issueDelayStats(recorder: Recorder): LatencyStats | null {
  const n = recorder.queryCount;
  const delays = new Float64Array(n);
  for (let q = 0; q < n; q++) delays[q] = Math.max(0, recorder.queryIssuedNs.get(q) - recorder.queryScheduledNs.get(q));
  return latencyStats(sortedCopy(delays));
}

/**
 * LoadGen's durations for the min-duration check: Offline, the longest sample latency;
 * Server, the last query's scheduled time; SingleStream/MultiStream, the last issue time.
 */
function runDurationNs(settings: TestSettings, recorder: Recorder, startNs: number, lastCompletionNs: number): number {
  const last = recorder.queryCount - 1;
  if (last < 0) return 0;
  switch (settings.scenario) {
    case 'offline':
      return lastCompletionNs - startNs;
    case 'server':
      return recorder.queryScheduledNs.get(last) - startNs;
    case 'singlestream':
    case 'multistream':
      return recorder.queryIssuedNs.get(last) - startNs;
  }
}

function countAbove(sorted: Float64Array, boundNs: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! > boundNs) hi = mid;
    else lo = mid + 1;
  }
  return sorted.length - lo;
}

function earlyStoppingFor(
  settings: TestSettings,
  sortedSamples: Float64Array,
  sortedQueries: Float64Array,
  queryCount: number,
  overLatencyCount: number | null,
): EarlyStoppingResult | null {
  const fraction = settings.latencyPercentile / 100;
  const confidence = settings.earlyStoppingConfidence;
  switch (settings.scenario) {
    case 'offline':
      return null;
    case 'server': {
      const over = overLatencyCount ?? 0;
      const es = serverEarlyStopping(queryCount, over, fraction, confidence);
      return {
        passed: es.passed,
        percentile: settings.latencyPercentile,
        queryCount,
        overLatencyCount: over,
        minQueriesNeeded: es.minQueriesNeeded,
        estimateNs: null,
        message: es.message,
      };
    }
    case 'singlestream':
    case 'multistream': {
      const sorted = settings.scenario === 'singlestream' ? sortedSamples : sortedQueries;
      const es = latencyEstimateEarlyStopping(sorted, fraction, confidence);
      // A failed query is an infinite latency: if the estimate lands on one, there is no estimate.
      const estimate = es.passed && Number.isFinite(es.estimateNs) ? es.estimateNs : null;
      return {
        passed: estimate !== null,
        percentile: settings.latencyPercentile,
        queryCount: sorted.length,
        overLatencyCount: es.passed ? es.overLatencyCount : 0,
        minQueriesNeeded: es.minQueriesNeeded,
        estimateNs: estimate,
        message: es.message,
      };
    }
  }
}

function serverThroughput(recorder: Recorder, startNs: number, boundNs: number | null, lastQuery: number) {
  const n = recorder.queryCount;
  // LoadGen: (N-1) over the time to the completion of the last-issued query.
  const lastSample = recorder.firstSampleOf(lastQuery);
  let lastDoneNs = recorder.sampleCompletedNs.get(lastSample);
  if (!Number.isFinite(lastDoneNs)) {
    for (let s = 0; s < recorder.sampleCount; s++) {
      const t = recorder.sampleCompletedNs.get(s);
      if (Number.isFinite(t) && !(t <= lastDoneNs)) lastDoneNs = t;
    }
  }
  const elapsedS = (lastDoneNs - startNs) / 1e9;
  const scheduledS = (recorder.queryScheduledNs.get(lastQuery) - startNs) / 1e9;
  let withinBound = 0;
  for (let q = 0; q < n; q++) {
    const s = recorder.firstSampleOf(q);
    if (recorder.sampleStatus.get(s) !== COMPLETED) continue;
    if (boundNs === null || recorder.sampleCompletedNs.get(s) - recorder.queryScheduledNs.get(q) <= boundNs) withinBound++;
  }
  return {
    completed: elapsedS > 0 ? (n - 1) / elapsedS : 0,
    scheduled: scheduledS > 0 ? (n - 1) / scheduledS : 0,
    goodput: elapsedS > 0 ? withinBound / elapsedS : 0,
  };
}

function headlineMetric(
  settings: TestSettings,
  recorder: Recorder,
  durationNs: number,
  earlyStopping: EarlyStoppingResult | null,
  completedPerSecond: number | null,
): ScenarioSummary['metric'] {
  const p = percentKey(settings.latencyPercentile);
  switch (settings.scenario) {
    case 'singlestream':
    case 'multistream': {
      const kind = settings.scenario === 'singlestream' ? 'sample' : 'query';
      return {
        name: `p${p} ${kind} latency (early-stopping estimate)`,
        value: earlyStopping?.estimateNs != null ? earlyStopping.estimateNs / 1e6 : null,
        unit: 'ms',
      };
    }
    case 'server':
      return { name: 'completed samples per second', value: completedPerSecond ?? 0, unit: 'samples/s' };
    case 'offline':
      return {
        name: 'samples per second',
        value: durationNs > 0 ? recorder.completedSamples / (durationNs / 1e9) : 0,
        unit: 'samples/s',
      };
  }
}
