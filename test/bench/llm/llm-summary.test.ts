import { describe, expect, it } from 'vitest';
import type { LlmOfflineRun, LlmServerRun } from '../../../src/bench/llm/llm-runs.js';
import { LLM_TARGET_NAME, llmTargets, mediansOf, ratiosOf, schedulerOrder, serverTargetQps } from '../../../src/bench/llm/llm-summary.js';
import type { SchedulerName } from '../../../src/llm/engine/types.js';

const MS = 1e6;

function offlineRun(scheduler: SchedulerName, repetition: number, outputTokensPerSecond: number, requestsPerSecond: number): LlmOfflineRun {
  return { scheduler, repetition, outputTokensPerSecond, requestsPerSecond, samplesCompleted: 256, samplesFailed: 0, durationNs: 10_000 * MS, valid: true };
}

function serverRun(scheduler: SchedulerName, repetition: number, ttftP50Ms: number, ttftP99Ms: number): LlmServerRun {
  return {
    scheduler,
    repetition,
    targetQps: 6,
    ttftP50Ns: ttftP50Ms * MS,
    ttftP99Ns: ttftP99Ms * MS,
    tpotP99Ns: 10 * MS,
    outputTokensPerSecond: 400,
    goodputRequestsPerSecond: 6,
    completedRequestsPerSecond: 6,
    samplesCompleted: 48,
    samplesFailed: 0,
    valid: false,
  };
}

// Three repetitions, alternating order; continuous 1200/1500/1000 tokens/s, static 1000/1000/800.
const OFFLINE = [
  offlineRun('continuous', 0, 1200, 17),
  offlineRun('static', 0, 1000, 12),
  offlineRun('static', 1, 1000, 10),
  offlineRun('continuous', 1, 1500, 21),
  offlineRun('continuous', 2, 1000, 15),
  offlineRun('static', 2, 800, 11),
];
const SERVER = [
  serverRun('continuous', 0, 10, 40),
  serverRun('static', 0, 30, 400),
  serverRun('static', 1, 25, 200),
  serverRun('continuous', 1, 5, 50),
  serverRun('continuous', 2, 8, 100),
  serverRun('static', 2, 40, 300),
];

describe('llm bench summary', () => {
  it('alternates which scheduler goes first', () => {
    expect(schedulerOrder(0)).toEqual(['continuous', 'static']);
    expect(schedulerOrder(1)).toEqual(['static', 'continuous']);
    expect(schedulerOrder(2)).toEqual(['continuous', 'static']);
  });

  it("offers the Server runs a share of static's median Offline requests/s, to 0.1 QPS", () => {
    // Static medians 11 requests/s; 60% is 6.6.
    expect(serverTargetQps(OFFLINE, 0.6)).toBe(6.6);
    expect(serverTargetQps(OFFLINE, 0.5)).toBe(5.5);
    expect(() => serverTargetQps(OFFLINE.filter((r) => r.scheduler === 'continuous'), 0.6)).toThrow(/no usable static Offline rate/);
  });

  it('takes each scheduler its medians over the repetitions', () => {
    const c = mediansOf('continuous', OFFLINE, SERVER);
    expect(c.offlineOutputTokensPerSecond).toBe(1200);
    expect(c.offlineRequestsPerSecond).toBe(17);
    expect(c.serverTtftP50Ns).toBe(8 * MS);
    expect(c.serverTtftP99Ns).toBe(50 * MS);
    const s = mediansOf('static', OFFLINE, SERVER);
    expect(s.offlineOutputTokensPerSecond).toBe(1000);
    expect(s.serverTtftP50Ns).toBe(30 * MS);
    expect(s.serverTtftP99Ns).toBe(300 * MS);
  });

  it('ratios of the medians, and the same ratio within each repetition', () => {
    const medians = { continuous: mediansOf('continuous', OFFLINE, SERVER), static: mediansOf('static', OFFLINE, SERVER) };
    const ratios = ratiosOf(medians, OFFLINE, SERVER);
    expect(ratios.offlineTokensPerSecondContinuousOverStatic).toBe(1.2);
    expect(ratios.serverTtftP99StaticOverContinuous).toBe(6);
    expect(ratios.serverTtftP50StaticOverContinuous).toBe(3.75);
    expect(ratios.offlineTokensPerSecondByRepetition).toEqual([1.2, 1.5, 1.25]);
    expect(ratios.serverTtftP99ByRepetition).toEqual([10, 4, 3]);
  });

  it('the target is met only when continuous is strictly faster', () => {
    const base = { serverTtftP99StaticOverContinuous: 1, serverTtftP50StaticOverContinuous: 1, offlineTokensPerSecondByRepetition: [], serverTtftP99ByRepetition: [] };
    const [faster] = llmTargets({ ...base, offlineTokensPerSecondContinuousOverStatic: 1.2 });
    expect(faster).toEqual({ name: LLM_TARGET_NAME, measured: 1.2, target: 1, comparison: 'atLeast', unit: 'x', met: true });
    expect(llmTargets({ ...base, offlineTokensPerSecondContinuousOverStatic: 1 })[0]?.met).toBe(false);
    expect(llmTargets({ ...base, offlineTokensPerSecondContinuousOverStatic: 0.9 })[0]?.met).toBe(false);
    expect(llmTargets({ ...base, offlineTokensPerSecondContinuousOverStatic: Number.NaN })[0]?.met).toBe(false);
  });
});
