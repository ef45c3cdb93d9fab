import { describe, expect, it } from 'vitest';
import {
  formatMaxOverLatencyPlan,
  formatMinQueriesPlan,
  planMaxOverLatency,
  planMinQueries,
} from '../../src/analysis/early-stopping-plan.js';
import { exactMinUnder } from '../fixtures/exact-binomial.js';

// Expected h_min values come from exact rational arithmetic (test/fixtures/exact-binomial.ts).
const exactP90 = Array.from({ length: 21 }, (_, t) => exactMinUnder(t, 9, 10));
const exactP99 = Array.from({ length: 21 }, (_, t) => exactMinUnder(t, 99, 100));

describe('planMinQueries', () => {
  it('p99, none over: h_min(0) = 459 queries', () => {
    expect(exactP99[0]).toBe(459);
    expect(planMinQueries({ percentile: 99, overLatency: 0 })).toEqual({
      percentile: 99,
      confidence: 99,
      overLatency: 0,
      underLatencyNeeded: 459,
      minQueries: 459,
      minQueriesWithOneMoreOver: exactP99[1]! + 1,
    });
  });

  it('matches exact values for t = 0..19 at p90 and p99', () => {
    for (let t = 0; t < 20; t++) {
      const p90 = planMinQueries({ percentile: 90, overLatency: t });
      expect(p90.underLatencyNeeded).toBe(exactP90[t]);
      expect(p90.minQueries).toBe(exactP90[t]! + t);
      expect(p90.minQueriesWithOneMoreOver).toBe(exactP90[t + 1]! + t + 1);
      const p99 = planMinQueries({ percentile: 99, overLatency: t, confidence: 99 });
      expect(p99.minQueries).toBe(exactP99[t]! + t);
    }
  });

  it('rejects a confidence given as a fraction', () => {
    expect(() => planMinQueries({ percentile: 99, overLatency: 0, confidence: 0.99 })).toThrow(
      'confidence is a percentage in [50, 100) (e.g. 99, not 0.99), got 0.99',
    );
  });

  it('uses the confidence it is given', () => {
    const strict = planMinQueries({ percentile: 99, overLatency: 0, confidence: 99.9 });
    // 0.99^h < 0.001 first at h = 688, exactly: 1000 * 99^h < 100^h.
    expect(1000n * 99n ** 688n < 100n ** 688n).toBe(true);
    expect(1000n * 99n ** 687n < 100n ** 687n).toBe(false);
    expect(strict.underLatencyNeeded).toBe(688);
  });

  it('reads 99.9 as the fraction 0.999', () => {
    expect(planMinQueries({ percentile: 99.9, overLatency: 2 }).underLatencyNeeded).toBe(
      exactMinUnder(2, 999, 1000),
    );
  });

  it('reports every invalid field at once', () => {
    try {
      planMinQueries({ percentile: 100, overLatency: 1.5, confidence: 0 });
      expect.fail('should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(RangeError);
      const message = (error as Error).message;
      expect(message).toContain('percentile must be');
      expect(message).toContain('confidence is a percentage');
      expect(message).toContain('overLatency must be');
    }
  });

  it('formats the plan in plain English', () => {
    const plan = planMinQueries({ percentile: 90, overLatency: 10 });
    expect(formatMinQueriesPlan(plan)).toBe(
      [
        'Early stopping for p90 at 99% confidence, 10 queries over the latency bound:',
        '  A run needs at least 197 queries: 187 under the bound plus the 10 over it.',
        '  A Server run of 197 or more queries passes early stopping if no more than 10 of them exceed the bound.',
        '  Each further over-latency query raises the minimum: 11 over needs 210 queries.',
      ].join('\n'),
    );
  });
});

describe('planMaxOverLatency', () => {
  /** Largest t with n >= h_min(t) + t, from the exact table. */
  function exactMaxT(n: number, table: number[]): number | null {
    let best: number | null = null;
    for (let t = 0; t < table.length; t++) if (n >= table[t]! + t) best = t;
    return best;
  }

  it('matches exact values for every N up to h_min(20) + 20 at p90', () => {
    for (let n = 1; n < exactP90[20]! + 20; n++) {
      const plan = planMaxOverLatency({ percentile: 90, queries: n });
      const t = exactMaxT(n, exactP90);
      expect(plan.maxOverLatency).toBe(t);
      if (t === null || t === 0) {
        expect(plan.estimate).toBeNull();
      } else {
        expect(plan.estimate).toEqual({
          index: n - t,
          rank: n - t + 1,
          discarded: t - 1,
          equivalentPercentile: (100 * (n - t)) / n,
        });
      }
    }
  });

  it('p99, 3000 queries', () => {
    const t = exactMaxT(3000, exactP99)!;
    const plan = planMaxOverLatency({ percentile: 99, queries: 3000 });
    expect(plan).toMatchObject({
      maxOverLatency: t,
      minQueriesZeroOver: 459,
      minQueriesForEstimate: exactP99[1]! + 1,
      estimate: { index: 3000 - t, rank: 3001 - t },
    });
  });

  it('says how many more queries a too-small run needs', () => {
    const plan = planMaxOverLatency({ percentile: 90, queries: 40 });
    expect(plan).toMatchObject({ maxOverLatency: null, minQueriesZeroOver: 44, estimate: null });
    expect(formatMaxOverLatencyPlan(plan)).toBe(
      [
        'Early stopping for p90 at 99% confidence, a run of 40 queries:',
        '  Too few queries to pass early stopping at all: even with none over the latency bound a run needs 44 (4 more).',
        '  SingleStream/MultiStream: no early-stopping estimate below 64 queries (24 more).',
      ].join('\n'),
    );
  });

  it('explains a run that passes only with no over-latency query', () => {
    const text = formatMaxOverLatencyPlan(planMaxOverLatency({ percentile: 90, queries: 50 }));
    expect(text).toContain('Server: passes early stopping only if no query exceeds the latency bound.');
    expect(text).toContain('no early-stopping estimate below 64 queries (14 more)');
  });

  it('formats the estimate rank and what it discards', () => {
    // p90, 200 queries: h_min(10) + 10 = 197 <= 200 < h_min(11) + 11 = 210.
    const plan = planMaxOverLatency({ percentile: 90, queries: 200 });
    expect(formatMaxOverLatencyPlan(plan)).toBe(
      [
        'Early stopping for p90 at 99% confidence, a run of 200 queries:',
        '  Server: passes early stopping with up to 10 queries over the latency bound.',
        '  SingleStream/MultiStream: the early-stopping estimate is the latency ranked 191 of 200 from the lowest (index 190), so the 9 highest latencies are discarded;',
        '  that is the plain 95th percentile of the run, where the plain p90 would read index 180.',
      ].join('\n'),
    );
  });
});
