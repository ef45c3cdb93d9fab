import { describe, expect, it } from 'vitest';
import { buildComparison } from '../../src/compare/compare.js';
import type { LoadedInput } from '../../src/compare/types.js';
import type { RunResult } from '../../src/results/types.js';
import { baseline, regressed, singleStream, sweep, withinLimits } from '../fixtures/compare/inputs.js';
import { NO_TOKEN_METRICS } from './llm-results.js';

const run = (result: RunResult): LoadedInput => ({ kind: 'result', file: `${result.runId}/result.json`, result });

describe('buildComparison: changes against the first input, exact', () => {
  const comparison = buildComparison([run(baseline), run(withinLimits), run(regressed), { kind: 'sweep', file: 'sw/sweep.json', sweep }]);

  it('the baseline has no changes', () => {
    expect(Object.values(comparison.rows[0]!.changePercent).every((c) => c === null)).toBe(true);
  });

  it('every metric of every other input', () => {
    expect(comparison.rows.map((r) => r.label)).toEqual(['run-base', 'run-ok', 'run-slow', 'sweep-peak']);
    expect(comparison.rows[1]!.changePercent).toEqual({ throughput: -2.5, goodput: -2.5, p50: 0, p90: 0, p99: 5, 'p99.9': 0, metric: -2.5, accuracy: null, 'server-queue': null, 'server-compute': null, network: null, ...NO_TOKEN_METRICS });
    expect(comparison.rows[2]!.changePercent).toEqual({ throughput: -7.5, goodput: -10, p50: 0, p90: 0, p99: 15, 'p99.9': 0, metric: -7.5, accuracy: null, 'server-queue': null, 'server-compute': null, network: null, ...NO_TOKEN_METRICS });
    expect(comparison.rows[3]!.changePercent).toEqual({ throughput: 5, goodput: 4.75, p50: 25, p90: 25, p99: -10, 'p99.9': null, metric: 5, accuracy: null, 'server-queue': null, 'server-compute': null, network: null, ...NO_TOKEN_METRICS });
  });

  it('groups by what differs', () => {
    expect(comparison.varies).toEqual(['system.hostname', 'backend.provider', 'model', 'scenario', 'settings.targetQps', 'settings.minDurationMs']);
  });

  it('a latency metric is not compared with a rate', () => {
    const mixed = buildComparison([run(baseline), run(singleStream)]);
    expect(mixed.rows[1]!.changePercent.metric).toBeNull();
    expect(mixed.rows[1]!.changePercent.throughput).toBe(0);
  });
});
