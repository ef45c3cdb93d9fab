import { describe, expect, it } from 'vitest';
import type { LlmResult } from '../../../src/bench/llm/llm-batching.js';
import { llmRows } from '../../../src/bench/llm/llm-report-rows.js';

const MS = 1e6;

const medians = (tokensPerSecond: number, requestsPerSecond: number, ttftP50Ms: number, ttftP99Ms: number) => ({
  offlineOutputTokensPerSecond: tokensPerSecond,
  offlineRequestsPerSecond: requestsPerSecond,
  serverTtftP50Ns: ttftP50Ms * MS,
  serverTtftP99Ns: ttftP99Ms * MS,
  serverTpotP99Ns: 2.5 * MS,
  serverOutputTokensPerSecond: 1234.4,
  serverGoodputRequestsPerSecond: 17.5,
});

const RESULT: LlmResult = {
  options: { repetitions: 1, maxBatch: 8, offlineSamples: 64, serverDurationMs: 4000, serverLoadShare: 0.6, ttftBoundMs: 2000, tpotBoundMs: 200 },
  workload: 'llm-mixed',
  serverTargetQps: 6.6,
  offline: [
    { scheduler: 'continuous', repetition: 0, outputTokensPerSecond: 1500.4, requestsPerSecond: 20, samplesCompleted: 64, samplesFailed: 0, durationNs: 3200 * MS, valid: true },
    { scheduler: 'static', repetition: 0, outputTokensPerSecond: 999.6, requestsPerSecond: 11, samplesCompleted: 64, samplesFailed: 0, durationNs: 5818 * MS, valid: true },
  ],
  server: [],
  medians: { continuous: medians(1500, 20, 5, 50), static: medians(1000, 11, 20, 400) },
  ratios: {
    offlineTokensPerSecondContinuousOverStatic: 1.5,
    serverTtftP99StaticOverContinuous: 8,
    serverTtftP50StaticOverContinuous: 4,
    offlineTokensPerSecondByRepetition: [1.5],
    serverTtftP99ByRepetition: [8],
  },
  targets: [],
};

describe('llm bench report rows', () => {
  it('one row per scheduler and phase, the load it ran at, then the ratios', () => {
    expect(llmRows(RESULT)).toEqual([
      ['setup', 'llm-mixed, --max-batch 8, 1 repetition alternating (medians)'],
      ['continuous, Offline (64 at once)', '1500 output tokens/s, 20.00 requests/s (runs 1500)'],
      ['static, Offline (64 at once)', '1000 output tokens/s, 11.00 requests/s (runs 1000)'],
      ['continuous, Server 6.6 QPS, 4 s', 'TTFT p50 5.0 ms, p99 50.0 ms; TPOT p99 2.5 ms; 1234 output tokens/s; goodput 17.50 requests/s'],
      ['static, Server 6.6 QPS, 4 s', 'TTFT p50 20.0 ms, p99 400.0 ms; TPOT p99 2.5 ms; 1234 output tokens/s; goodput 17.50 requests/s'],
      ['Server load', "60% of static's median Offline 11.00 requests/s; goodput within TTFT 2000 ms, TPOT 200 ms"],
      ['continuous / static, Offline tokens/s', '1.50x (by repetition 1.50x)'],
      ['static / continuous, Server TTFT', 'p99 8.00x (by repetition 8.00x), p50 4.00x'],
    ]);
  });
});
