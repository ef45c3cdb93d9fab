import { describe, expect, it } from 'vitest';
import { offlineRunOf, serverRunOf } from '../../../src/bench/llm/llm-runs.js';
import { latencyStats } from '../../../src/loadgen/latency-stats.js';
import type { TokenSummary } from '../../../src/results/types.js';
import { resultWith } from '../../fixtures/result-fixture.js';

const MS = 1e6;

/** 10 requests: TTFT 10, 20, .. 100 ms (LoadGen p50 = index 5 = 60 ms, p99 = index 9 = 100 ms). */
function tokens(): TokenSummary {
  const ttft = latencyStats(Float64Array.from({ length: 10 }, (_, i) => (i + 1) * 10 * MS))!;
  const tpot = latencyStats(Float64Array.from({ length: 10 }, (_, i) => (i + 1) * MS))!;
  return {
    percentile: 99,
    ttftNs: ttft,
    tpotNs: tpot,
    itlNs: tpot,
    outputTokens: 700,
    outputTokensPerRequest: null,
    outputTokensPerSecond: 350,
    requestOutputTokensPerSecond: null,
    ttftBoundMs: 2000,
    tpotBoundMs: 200,
    ttftAtPercentileNs: 100 * MS,
    tpotAtPercentileNs: 10 * MS,
    overTtftBound: 0,
    overTpotBound: 0,
    goodRequests: 9,
    goodputRequestsPerSecond: 4.5,
    earlyStoppingTtft: null,
    earlyStoppingTpot: null,
    samplesWithoutFirstToken: 0,
    samplesWithOneToken: 0,
    tokensOfFailedSamples: 0,
    chunks: 700,
    chunksWithSeveralTokens: 0,
    inputTokens: 500,
    windowNs: 2000 * MS,
  };
}

describe('llm bench: a run reduced to what the bench compares', () => {
  it('Offline: output tokens/s from the token summary, requests/s over the run', () => {
    const result = resultWith((r) => {
      r.summary.scenario = 'offline';
      r.summary.durationNs = 2000 * MS;
      r.summary.samplesCompleted = 10;
      r.summary.samplesFailed = 1;
      r.summary.samplesMissing = 2;
      r.summary.tokens = tokens();
    });
    expect(offlineRunOf(result, { scheduler: 'static', repetition: 1 })).toEqual({
      scheduler: 'static',
      repetition: 1,
      outputTokensPerSecond: 350,
      requestsPerSecond: 5,
      samplesCompleted: 10,
      samplesFailed: 3,
      durationNs: 2000 * MS,
      valid: true,
    });
  });

  it('Server: TTFT p50 and p99, TPOT p99, goodput, and the verdict', () => {
    const result = resultWith((r) => {
      r.summary.samplesCompleted = 10;
      r.summary.samplesFailed = 0;
      r.summary.samplesMissing = 0;
      r.summary.completedSamplesPerSecond = 4.75;
      r.summary.tokens = tokens();
      r.validity.valid = false;
    });
    expect(serverRunOf(result, { scheduler: 'continuous', repetition: 0 }, 5)).toEqual({
      scheduler: 'continuous',
      repetition: 0,
      targetQps: 5,
      ttftP50Ns: 60 * MS,
      ttftP99Ns: 100 * MS,
      tpotP99Ns: 10 * MS,
      outputTokensPerSecond: 350,
      goodputRequestsPerSecond: 4.5,
      completedRequestsPerSecond: 4.75,
      samplesCompleted: 10,
      samplesFailed: 0,
      valid: false,
    });
  });

  it('a run without a token summary is an error naming the run', () => {
    const result = resultWith((r) => {
      r.summary.tokens = null;
      r.status = 'failed';
      r.statusReason = 'server unreachable';
    });
    expect(() => offlineRunOf(result, { scheduler: 'static', repetition: 2 })).toThrow(
      'llm bench: the static run of repetition 2 reported no token summary (status failed: server unreachable)',
    );
  });
});
