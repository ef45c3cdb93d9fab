import { latencyStats } from '../../src/loadgen/latency-stats.js';
import { percentileIndex, REPORTED_PERCENTS } from '../../src/loadgen/percentiles.js';
import type { LatencyStats, LlmRunSummary, RunResult, TokenSummary, ValidityCheck } from '../../src/results/types.js';
import { resultWith } from '../fixtures/result-fixture.js';

/**
 * Two LLM Server runs (--backend openai) of the same prompt set against two servers on one GPU
 * host: `llmContinuous` (the baseline) and `llmStatic`. Token numbers are round so every change
 * is an exact percent; their LatencyStats come from real value arrays (latencyStats), so the
 * percentiles and HDR histograms agree with each other as a real run's do.
 *
 *                    continuous   static   change
 *   tokens/s         2000         1900     -5%  (exactly on a -5% gate)
 *   token goodput/s  100          90       -10%
 *   TTFT p50/p99 ms  40 / 400     50 / 560 +25% / +40%
 *   TPOT p50/p99 ms  10 / 24      10.5/36  +5% / +50%
 *   ITL p99 ms       30           33       +10%
 */

/** The token metrics of an input that has no summary.tokens. */
export const NO_TOKEN_METRICS = { tokens: null, 'token-goodput': null, 'ttft-p50': null, 'ttft-p99': null, 'tpot-p50': null, 'tpot-p99': null, 'itl-p99': null } as const;

const MS = 1e6;
type Percentiles = Readonly<Record<(typeof REPORTED_PERCENTS)[number], number>>;

/**
 * `count` values, in ms, whose LoadGen percentiles (index floor(N*p) of the sorted values) are
 * exactly `at`: the values below p50 are `belowP50Ms`, each step up holds until the next percentile.
 */
export function statsWithPercentiles(count: number, belowP50Ms: number, at: Percentiles): LatencyStats {
  const values = new Float64Array(count).fill(belowP50Ms * MS);
  for (const percent of REPORTED_PERCENTS) values.fill(at[percent] * MS, percentileIndex(count, percent / 100));
  const stats = latencyStats(values);
  if (stats === null) throw new Error('statsWithPercentiles needs count >= 1');
  return stats;
}

const REQUESTS = 1000;
const WINDOW_NS = 10_000_000_000;

function tokenSummary(t: {
  outputTokens: number;
  goodRequests: number;
  overTtftBound: number;
  overTpotBound: number;
  ttftNs: LatencyStats;
  tpotNs: LatencyStats;
  itlNs: LatencyStats;
}): TokenSummary {
  const perRequest = t.outputTokens / REQUESTS;
  return {
    percentile: 99,
    ttftNs: t.ttftNs,
    tpotNs: t.tpotNs,
    itlNs: t.itlNs,
    outputTokens: t.outputTokens,
    outputTokensPerRequest: { count: REQUESTS, min: perRequest, max: perRequest, mean: perRequest, percentiles: { '50': perRequest, '90': perRequest, '95': perRequest, '97': perRequest, '99': perRequest, '99.9': perRequest } },
    outputTokensPerSecond: t.outputTokens / (WINDOW_NS / 1e9),
    requestOutputTokensPerSecond: null,
    ttftBoundMs: 500,
    tpotBoundMs: 30,
    ttftAtPercentileNs: t.ttftNs.percentilesNs['99'] ?? null,
    tpotAtPercentileNs: t.tpotNs.percentilesNs['99'] ?? null,
    overTtftBound: t.overTtftBound,
    overTpotBound: t.overTpotBound,
    goodRequests: t.goodRequests,
    goodputRequestsPerSecond: t.goodRequests / (WINDOW_NS / 1e9),
    earlyStoppingTtft: null,
    earlyStoppingTpot: null,
    samplesWithoutFirstToken: 0,
    samplesWithOneToken: 0,
    tokensOfFailedSamples: 0,
    chunks: t.outputTokens,
    chunksWithSeveralTokens: 0,
    inputTokens: REQUESTS * 64,
    windowNs: WINDOW_NS,
  };
}

/** Every request asked for 20 tokens; `shorter` of them stopped early (finish_reason "stop"). */
function llmSummary(shorter: number): LlmRunSummary {
  return {
    api: 'completions',
    promptSet: '1000 prompts, input 64 tokens, output 20 tokens, seed 1',
    ignoreEos: false,
    outputLength: { checked: REQUESTS, shorter, longer: 0, requestedTokens: 20 * REQUESTS },
    client: {
      requests: REQUESTS,
      errorsByKind: { refused: 0, 'server-error': 0, 'client-error': 0, connection: 0, timeout: 0, malformed: 0 },
      streamsBroken: 0,
      clientQueued: 0,
      clientQueueNs: null,
      promptTokensReported: REQUESTS * 64,
      usageReported: REQUESTS,
      finishReasons: shorter === 0 ? { length: REQUESTS } : { length: REQUESTS - shorter, stop: shorter },
      chunksWithSeveralTokens: 0,
    },
    compatible: { vllm: {}, genaiPerf: {} },
  };
}

interface LlmRun {
  readonly runId: string;
  readonly url: string;
  readonly tokens: TokenSummary;
  /** End-to-end request latency (summary.sampleLatency). */
  readonly e2e: LatencyStats;
  readonly shorter: number;
  readonly checks: readonly ValidityCheck[];
}

function llmRun({ runId, url, tokens, e2e, shorter, checks }: LlmRun): RunResult {
  return resultWith((r) => {
    r.runId = runId;
    r.workload = { name: 'llm-fixed', source: 'workloads/llm-fixed/workload.json' };
    r.model = { path: null, sha256: null, sizeBytes: null, inputs: [], assumptions: [] };
    r.backend = {
      name: 'openai',
      versions: { undici: '7.16.0', 'eventsource-parser': '3.0.6' },
      settings: { url, model: 'tiny-llm', api: 'completions', maxOutstanding: 64, requestTimeoutMs: 60_000, ignoreEos: false, serverMaxModelLen: 512, authHeaders: [] },
      coldStartNs: null,
    };
    r.system.hostname = 'gpu-01';
    r.system.gpus = [{ name: 'NVIDIA H200', memoryMiB: 143_771, driver: '570.86.15' }];
    r.system.gpuNote = null;
    r.effectiveSettings.latencyBoundMs = null;
    r.effectiveSettings.targetQps = 100;
    r.effectiveSettings.samplesPerQuery = 1;
    r.effectiveSettings.tokenLatencies = true;
    r.effectiveSettings.ttftBoundMs = 500;
    r.effectiveSettings.tpotBoundMs = 30;
    r.notes = [];
    const s = r.summary;
    s.metric = { name: 'completed tokens per second', value: tokens.outputTokensPerSecond, unit: 'tokens/s' };
    s.durationNs = WINDOW_NS;
    s.queriesIssued = REQUESTS;
    s.samplesIssued = REQUESTS;
    s.samplesCompleted = REQUESTS;
    s.completedSamplesPerSecond = 100;
    s.scheduledSamplesPerSecond = 100;
    s.goodputSamplesPerSecond = null;
    s.sampleLatency = e2e;
    s.earlyStopping = null;
    s.tokens = tokens;
    r.llm = llmSummary(shorter);
    r.validity = { valid: checks.every((c) => c.passed), checks: [...checks] };
  });
}

/** Baseline: nothing over either bound, so every request is good. */
export const llmContinuous: RunResult = llmRun({
  runId: 'run-llm-continuous',
  url: 'http://127.0.0.1:8000/v1',
  tokens: tokenSummary({
    outputTokens: 20 * REQUESTS,
    goodRequests: 1000,
    overTtftBound: 0,
    overTpotBound: 0,
    ttftNs: statsWithPercentiles(REQUESTS, 20, { 50: 40, 90: 80, 95: 100, 97: 150, 99: 400, 99.9: 450 }),
    tpotNs: statsWithPercentiles(REQUESTS, 8, { 50: 10, 90: 12, 95: 14, 97: 16, 99: 24, 99.9: 28 }),
    itlNs: statsWithPercentiles(19 * REQUESTS, 5, { 50: 10, 90: 12, 95: 15, 97: 20, 99: 30, 99.9: 60 }),
  }),
  e2e: statsWithPercentiles(REQUESTS, 200, { 50: 230, 90: 300, 95: 350, 97: 400, 99: 800, 99.9: 900 }),
  shorter: 0,
  checks: [
    { name: 'ttftConstraint', passed: true, detail: 'p99 TTFT 400.000 ms (failures count as over), bound 500 ms', recommendation: null },
    { name: 'tpotConstraint', passed: true, detail: 'p99 TPOT 24.000 ms (failures count as over), bound 30 ms', recommendation: null },
  ],
});

/**
 * The static-batching server: shorter answers (19 tokens), 30 requests over the TTFT bound (the
 * slowest 3%, at or above 520 ms) and 100 over the TPOT bound (the slowest 10%), the same 100
 * requests: 900 good.
 */
export const llmStatic: RunResult = llmRun({
  runId: 'run-llm-static',
  url: 'http://127.0.0.1:8001/v1',
  tokens: tokenSummary({
    outputTokens: 19 * REQUESTS,
    goodRequests: 900,
    overTtftBound: 30,
    overTpotBound: 100,
    ttftNs: statsWithPercentiles(REQUESTS, 25, { 50: 50, 90: 100, 95: 150, 97: 520, 99: 560, 99.9: 700 }),
    tpotNs: statsWithPercentiles(REQUESTS, 8, { 50: 10.5, 90: 31, 95: 32, 97: 33, 99: 36, 99.9: 40 }),
    itlNs: statsWithPercentiles(18 * REQUESTS, 5, { 50: 10.5, 90: 13, 95: 20, 97: 30, 99: 33, 99.9: 80 }),
  }),
  e2e: statsWithPercentiles(REQUESTS, 250, { 50: 300, 90: 700, 95: 800, 97: 900, 99: 1000, 99.9: 1200 }),
  shorter: REQUESTS,
  checks: [
    { name: 'ttftConstraint', passed: false, detail: 'p99 TTFT 560.000 ms (failures count as over), bound 500 ms', recommendation: 'lower --target-qps' },
    { name: 'tpotConstraint', passed: false, detail: 'p99 TPOT 36.000 ms (failures count as over), bound 30 ms', recommendation: 'lower --target-qps' },
  ],
});
