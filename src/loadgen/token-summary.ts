import type { EarlyStoppingResult, TokenSummary, ValueStats } from '../results/types.js';
import { serverEarlyStopping } from './early-stopping.js';
import { latencyStats, sortedCopy } from './latency-stats.js';
import { percentileOfSorted, REPORTED_FRACTIONS, REPORTED_PERCENTS } from './percentiles.js';
import { COMPLETED, type Recorder } from './recorder.js';
import { type TestSettings, TOKEN_LATENCY_PERCENTILE } from './settings.js';

/**
 * LLM stream metrics of one measured phase, defined once (README "Metrics" / "LLM metrics"):
 * - TTFT: first token time minus the query's origin (scheduled time in Server and Offline,
 *   issue time in SingleStream/MultiStream), as LoadGen's FirstTokenComplete;
 * - TPOT per sample, as MLPerf computes it: (end-to-end - TTFT) / (output tokens - 1), for
 *   samples of at least two tokens; the percentile is over samples, not tokens;
 * - ITL: every gap between consecutive token-carrying chunks of a sample, its own distribution;
 * - output tokens/s: completed samples' tokens over the time from the start to the last
 *   completion (LoadGen: Offline "tokens per second", Server "completed tokens per second").
 * Failed and missing samples count as over both bounds wherever a verdict is made.
 */
export function summarizeTokens(recorder: Recorder, startNs: number, settings: TestSettings): TokenSummary {
  const log = recorder.tokenLog;
  const tokens = recorder.sampleTokens;
  if (log === null || tokens === null) throw new Error('summarizeTokens needs a recorder that counts tokens');
  const fromSchedule = settings.scenario === 'server' || settings.scenario === 'offline';
  const origin = fromSchedule ? recorder.queryScheduledNs : recorder.queryIssuedNs;
  const ttftBoundNs = settings.ttftBoundMs === null ? null : settings.ttftBoundMs * 1e6;
  const tpotBoundNs = settings.tpotBoundMs === null ? null : settings.tpotBoundMs * 1e6;

  const ttft: number[] = [];
  const tpot: number[] = [];
  const itl: number[] = [];
  const perRequestTokens: number[] = [];
  const perRequestRate: number[] = [];
  let failed = 0;
  let totalTokens = 0;
  let withoutFirstToken = 0;
  let withOneToken = 0;
  let tokensOfFailed = 0;
  let chunks = 0;
  let severalTokenChunks = 0;
  let good = 0;
  let lastCompletionNs = startNs;

  for (let s = 0; s < recorder.sampleCount; s++) {
    const chunkList = log.chunksOf(s);
    if (recorder.sampleStatus.get(s) !== COMPLETED) {
      failed++;
      tokensOfFailed += log.tokensOf(s);
      continue;
    }
    const originNs = origin.get(recorder.sampleQuery.get(s));
    const doneNs = recorder.sampleCompletedNs.get(s);
    if (doneNs > lastCompletionNs) lastCompletionNs = doneNs;
    const n = tokens.get(s);
    totalTokens += n;
    perRequestTokens.push(n);
    const e2e = doneNs - originNs;
    if (e2e > 0) perRequestRate.push(n / (e2e / 1e9));
    for (let i = 0; i < chunkList.length; i += 2) {
      chunks++;
      if (chunkList[i + 1]! > 1) severalTokenChunks++;
      if (i >= 2) itl.push(chunkList[i]! - chunkList[i - 2]!);
    }
    if (chunkList.length === 0) {
      withoutFirstToken++;
      continue;
    }
    const first = chunkList[0]! - originNs;
    ttft.push(first);
    let sampleTpot: number | null = null;
    if (n >= 2) {
      sampleTpot = (e2e - first) / (n - 1);
      tpot.push(sampleTpot);
    } else {
      withOneToken++;
    }
    const ttftOk = ttftBoundNs === null || first <= ttftBoundNs;
    const tpotOk = tpotBoundNs === null || sampleTpot === null || sampleTpot <= tpotBoundNs;
    if (ttftOk && tpotOk) good++;
  }

  const windowS = (lastCompletionNs - startNs) / 1e9;
  const ttftVerdict = judged(ttft, failed + withoutFirstToken, ttftBoundNs, settings);
  const tpotVerdict = judged(tpot, failed, tpotBoundNs, settings);
  return {
    percentile: TOKEN_LATENCY_PERCENTILE,
    ttftNs: latencyStats(sortedCopy(Float64Array.from(ttft))),
    tpotNs: latencyStats(sortedCopy(Float64Array.from(tpot))),
    itlNs: latencyStats(sortedCopy(Float64Array.from(itl))),
    outputTokens: totalTokens,
    outputTokensPerRequest: valueStats(perRequestTokens),
    outputTokensPerSecond: windowS > 0 ? totalTokens / windowS : null,
    requestOutputTokensPerSecond: valueStats(perRequestRate),
    ttftBoundMs: settings.ttftBoundMs,
    tpotBoundMs: settings.tpotBoundMs,
    ttftAtPercentileNs: ttftVerdict.atPercentileNs,
    tpotAtPercentileNs: tpotVerdict.atPercentileNs,
    overTtftBound: ttftVerdict.over,
    overTpotBound: tpotVerdict.over,
    goodRequests: good,
    goodputRequestsPerSecond: windowS > 0 ? good / windowS : null,
    earlyStoppingTtft: ttftVerdict.earlyStopping,
    earlyStoppingTpot: tpotVerdict.earlyStopping,
    samplesWithoutFirstToken: withoutFirstToken,
    samplesWithOneToken: withOneToken,
    tokensOfFailedSamples: tokensOfFailed,
    chunks,
    chunksWithSeveralTokens: severalTokenChunks,
    inputTokens: null,
    windowNs: lastCompletionNs - startNs,
  };
}

interface Verdict {
  readonly atPercentileNs: number | null;
  readonly over: number | null;
  readonly earlyStopping: EarlyStoppingResult | null;
}

/** The p99 with `infinite` samples (failures) counted as over, and Server's early stopping on it. */
function judged(values: readonly number[], infinite: number, boundNs: number | null, settings: TestSettings): Verdict {
  const all = new Float64Array(values.length + infinite).fill(Number.POSITIVE_INFINITY);
  all.set(values);
  all.sort();
  const fraction = TOKEN_LATENCY_PERCENTILE / 100;
  // JSON has no infinity: a percentile that lands on a failed sample is null (no finite value).
  const at = all.length > 0 ? percentileOfSorted(all, fraction) : null;
  const atPercentileNs = at !== null && Number.isFinite(at) ? at : null;
  if (boundNs === null) return { atPercentileNs, over: null, earlyStopping: null };
  let over = 0;
  for (let i = all.length - 1; i >= 0 && all[i]! > boundNs; i--) over++;
  if (settings.scenario !== 'server' || settings.mode !== 'performance') return { atPercentileNs, over, earlyStopping: null };
  const es = serverEarlyStopping(all.length, over, fraction, settings.earlyStoppingConfidence);
  return {
    atPercentileNs,
    over,
    earlyStopping: {
      passed: es.passed,
      percentile: TOKEN_LATENCY_PERCENTILE,
      queryCount: all.length,
      overLatencyCount: over,
      minQueriesNeeded: es.minQueriesNeeded,
      estimateNs: null,
      message: es.message,
    },
  };
}

/** Mean, extremes and LoadGen-rule percentiles of plain values (tokens, tokens/s). */
function valueStats(values: readonly number[]): ValueStats | null {
  if (values.length === 0) return null;
  const sorted = sortedCopy(Float64Array.from(values));
  let sum = 0;
  for (const v of values) sum += v;
  const percentiles: Record<string, number> = {};
  REPORTED_PERCENTS.forEach((percent, i) => {
    percentiles[String(percent)] = percentileOfSorted(sorted, REPORTED_FRACTIONS[i]!);
  });
  return { count: values.length, min: sorted[0]!, max: sorted[sorted.length - 1]!, mean: sum / values.length, percentiles };
}

/**
 * For the Server run's plan extension: a completed sample is over when its TTFT or its TPOT is
 * over the bound (one test for both, so the plan is sized for the stricter of the two).
 */
export function tokenBoundTest(recorder: Recorder, settings: TestSettings): (sampleId: number, queryId: number) => boolean {
  const ttftBoundNs = (settings.ttftBoundMs ?? Number.POSITIVE_INFINITY) * 1e6;
  const tpotBoundNs = (settings.tpotBoundMs ?? Number.POSITIVE_INFINITY) * 1e6;
  return (sampleId, queryId) => {
    const log = recorder.tokenLog;
    if (log === null) return false;
    const originNs = recorder.queryScheduledNs.get(queryId);
    const first = log.firstTokenNs(sampleId) - originNs;
    if (!(first <= ttftBoundNs)) return true;
    const n = recorder.sampleTokens?.get(sampleId) ?? 0;
    if (n < 2) return false;
    return (recorder.sampleCompletedNs.get(sampleId) - originNs - first) / (n - 1) > tpotBoundNs;
  };
}
