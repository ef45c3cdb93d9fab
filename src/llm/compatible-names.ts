import type { LatencyStats, ScenarioSummary, TokenSummary, ValueStats } from '../results/types.js';

/** Percentiles exported under other tools' names (vLLM's default --metric-percentiles is 99). */
const EXPORTED_PERCENTS = ['50', '90', '95', '99', '99.9'] as const;

/** What the exports read from the run's summary besides its tokens. */
type CompletedRequests = Pick<ScenarioSummary, 'samplesCompleted' | 'sampleLatency'>;

const toMs = (ns: number | undefined): number | null => (ns === undefined ? null : ns / 1e6);

/**
 * The run's numbers under vLLM `bench serve` result keys. Same definitions for TTFT, TPOT
 * (per request, excluding the first token), ITL (every gap) and E2EL, with two differences the
 * README spells out: mlbench's origin is the scheduled time in Server (vLLM: the actual send),
 * and its percentiles are LoadGen's floor(N*p) values (vLLM: numpy's interpolated ones;
 * median_* here is p50). vLLM's std_* are not exported.
 */
export function vllmFields(summary: CompletedRequests, tokens: TokenSummary): Record<string, number | null> {
  const windowS = tokens.windowNs / 1e9;
  const perSecond = (n: number): number | null => (windowS > 0 ? n / windowS : null);
  const input = tokens.inputTokens ?? 0;
  const out: Record<string, number | null> = {
    duration: windowS,
    completed: summary.samplesCompleted,
    total_input_tokens: input,
    total_output_tokens: tokens.outputTokens,
    request_throughput: perSecond(summary.samplesCompleted),
    request_goodput: tokens.ttftBoundMs === null && tokens.tpotBoundMs === null ? null : tokens.goodputRequestsPerSecond,
    output_throughput: tokens.outputTokensPerSecond,
    total_token_throughput: perSecond(input + tokens.outputTokens),
  };
  const metrics: [string, LatencyStats | null][] = [
    ['ttft', tokens.ttftNs],
    ['tpot', tokens.tpotNs],
    ['itl', tokens.itlNs],
    ['e2el', summary.sampleLatency],
  ];
  for (const [name, stats] of metrics) {
    out[`mean_${name}_ms`] = stats === null ? null : stats.meanNs / 1e6;
    out[`median_${name}_ms`] = toMs(stats?.percentilesNs['50']);
    for (const p of EXPORTED_PERCENTS) out[`p${p}_${name}_ms`] = toMs(stats?.percentilesNs[p]);
  }
  return out;
}

/**
 * The run under GenAI-Perf's profile-export names. GenAI-Perf's inter_token_latency is the
 * per-request (e2e - TTFT) / (tokens - 1), which is MLPerf's and mlbench's TPOT, so it is
 * filled from TPOT, not from mlbench's ITL (every gap).
 */
export function genaiPerfFields(summary: CompletedRequests, tokens: TokenSummary): Record<string, unknown> {
  const windowS = tokens.windowNs / 1e9;
  return {
    time_to_first_token: latencyMs(tokens.ttftNs),
    inter_token_latency: latencyMs(tokens.tpotNs),
    request_latency: latencyMs(summary.sampleLatency),
    output_token_throughput: { unit: 'tokens/sec', avg: tokens.outputTokensPerSecond },
    output_token_throughput_per_request: values(tokens.requestOutputTokensPerSecond, 'tokens/sec'),
    request_throughput: { unit: 'requests/sec', avg: windowS > 0 ? summary.samplesCompleted / windowS : null },
    output_sequence_length: values(tokens.outputTokensPerRequest, 'tokens'),
    input_sequence_length: {
      unit: 'tokens',
      avg: tokens.inputTokens === null || summary.samplesCompleted === 0 ? null : tokens.inputTokens / summary.samplesCompleted,
    },
  };
}

function latencyMs(stats: LatencyStats | null): Record<string, unknown> | null {
  if (stats === null) return null;
  const out: Record<string, unknown> = { unit: 'ms', avg: stats.meanNs / 1e6, min: stats.minNs / 1e6, max: stats.maxNs / 1e6 };
  for (const p of EXPORTED_PERCENTS) out[`p${p.replace('.', '_')}`] = toMs(stats.percentilesNs[p]);
  return out;
}

function values(stats: ValueStats | null, unit: string): Record<string, unknown> | null {
  if (stats === null) return null;
  const out: Record<string, unknown> = { unit, avg: stats.mean, min: stats.min, max: stats.max };
  for (const p of EXPORTED_PERCENTS) out[`p${p.replace('.', '_')}`] = stats.percentiles[p] ?? null;
  return out;
}
