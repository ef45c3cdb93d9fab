import { describe, expect, it } from 'vitest';
import { genaiPerfFields, vllmFields } from '../../src/llm/compatible-names.js';
import type { LatencyStats, ScenarioSummary, TokenSummary } from '../../src/results/types.js';
import { serverResult } from '../fixtures/result-fixture.js';

const MS = 1e6;
function stats(ms: readonly number[]): LatencyStats {
  const percentilesNs: Record<string, number> = { '50': ms[0]! * MS, '90': ms[1]! * MS, '95': ms[1]! * MS, '97': ms[1]! * MS, '99': ms[2]! * MS, '99.9': ms[2]! * MS };
  return { count: 10, minNs: 1 * MS, maxNs: ms[2]! * MS, meanNs: ms[3]! * MS, percentilesNs, hdrHistogram: '' };
}

const tokens: TokenSummary = {
  percentile: 99,
  ttftNs: stats([50, 60, 70, 55]),
  tpotNs: stats([10, 11, 12, 10.5]),
  itlNs: stats([9, 14, 30, 10]),
  outputTokens: 1000,
  outputTokensPerRequest: { count: 10, min: 100, max: 100, mean: 100, percentiles: { '50': 100, '90': 100, '95': 100, '97': 100, '99': 100, '99.9': 100 } },
  outputTokensPerSecond: 500,
  requestOutputTokensPerSecond: null,
  ttftBoundMs: 2000,
  tpotBoundMs: 200,
  ttftAtPercentileNs: 70 * MS,
  tpotAtPercentileNs: 12 * MS,
  overTtftBound: 0,
  overTpotBound: 0,
  goodRequests: 10,
  goodputRequestsPerSecond: 5,
  earlyStoppingTtft: null,
  earlyStoppingTpot: null,
  samplesWithoutFirstToken: 0,
  samplesWithOneToken: 0,
  tokensOfFailedSamples: 0,
  chunks: 1000,
  chunksWithSeveralTokens: 0,
  inputTokens: 320,
  windowNs: 2e9,
};

const summary: ScenarioSummary = { ...serverResult.summary, samplesCompleted: 10, sampleLatency: stats([1100, 1200, 1300, 1150]) };

describe('LLM metrics under other tools\' names', () => {
  it("vLLM bench serve keys: same values, TPOT as TPOT, ITL as every gap, rates over the window", () => {
    const v = vllmFields(summary, tokens);
    expect(v).toMatchObject({
      duration: 2,
      completed: 10,
      total_input_tokens: 320,
      total_output_tokens: 1000,
      request_throughput: 5,
      request_goodput: 5,
      output_throughput: 500,
      total_token_throughput: 660,
      mean_ttft_ms: 55,
      median_ttft_ms: 50,
      p99_ttft_ms: 70,
      mean_tpot_ms: 10.5,
      p99_tpot_ms: 12,
      median_itl_ms: 9,
      'p99.9_itl_ms': 30,
      mean_e2el_ms: 1150,
      p90_e2el_ms: 1200,
    });
  });

  it("GenAI-Perf's inter_token_latency is the per-request average gap, so it carries mlbench's TPOT", () => {
    const g = genaiPerfFields(summary, tokens) as Record<string, Record<string, unknown>>;
    expect(g['inter_token_latency']).toMatchObject({ unit: 'ms', avg: 10.5, p50: 10, p99: 12, p99_9: 12 });
    expect(g['time_to_first_token']).toMatchObject({ avg: 55, min: 1, max: 70 });
    expect(g['request_throughput']).toEqual({ unit: 'requests/sec', avg: 5 });
    expect(g['input_sequence_length']).toEqual({ unit: 'tokens', avg: 32 });
    expect(g['output_sequence_length']).toMatchObject({ avg: 100, p99: 100 });
  });
});
