import { describe, expect, it } from 'vitest';
import {
  latencyEstimateEarlyStopping,
  maxOverLatency,
  minQueriesForEstimate,
  minQueriesForOverLatency,
  minUnderLatencyQueries,
  serverEarlyStopping,
} from '../../src/loadgen/early-stopping.js';
import { exactMinUnder } from '../fixtures/exact-binomial.js';

// Expected values are derived here without the implementation's math: exact rational arithmetic
// (BigInt) for small t, a plain log-space sum over every term for large t.

/**
 * log P(X <= t) summing every term x = 0..t, each from the last by its ratio, in log space with
 * compensated (Kahan) accumulation so 10^5 steps add no visible error.
 */
function logSpaceCdf(h: number, t: number, p: number): number {
  const n = h + t;
  const q = 1 - p;
  const logRatioQP = Math.log(q / p);
  let logTerm = n * Math.log(p);
  let carry = 0;
  const logs = new Float64Array(t + 1);
  logs[0] = logTerm;
  for (let x = 1; x <= t; x++) {
    const step = Math.log((n - x + 1) / x) + logRatioQP - carry;
    const next = logTerm + step;
    carry = next - logTerm - step;
    logTerm = next;
    logs[x] = logTerm;
  }
  const max = logs.reduce((m, v) => Math.max(m, v), -Infinity);
  let sum = 0;
  for (const v of logs) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

const PERCENTILES = [
  { fraction: 0.9, num: 9, den: 10 },
  { fraction: 0.99, num: 99, den: 100 },
  { fraction: 0.999, num: 999, den: 1000 },
];

const exactTables = new Map<number, number[]>();
function exactTable(fraction: number): number[] {
  let table = exactTables.get(fraction);
  if (table === undefined) {
    const { num, den } = PERCENTILES.find((p) => p.fraction === fraction)!;
    table = Array.from({ length: 21 }, (_, t) => exactMinUnder(t, num, den));
    exactTables.set(fraction, table);
  }
  return table;
}

describe('minUnderLatencyQueries (h_min)', () => {
  it('t = 0, p = 0.99: ceil(ln 0.01 / ln 0.99) = 459, and 0.99^459 < 0.01 <= 0.99^458', () => {
    expect(Math.ceil(Math.log(0.01) / Math.log(0.99))).toBe(459);
    expect(100n * 99n ** 459n < 100n ** 459n).toBe(true);
    expect(100n * 99n ** 458n < 100n ** 458n).toBe(false);
    expect(minUnderLatencyQueries(0, 0.99)).toBe(459);
  });

  it.each(PERCENTILES)('equals exact rational arithmetic for t = 0..20, p = $fraction', ({
    fraction,
  }) => {
    const actual = Array.from({ length: 21 }, (_, t) => minUnderLatencyQueries(t, fraction));
    expect(actual).toEqual(exactTable(fraction));
  });

  it('matches values from LoadGen 6.0 early_stopping.cc compiled with g++ 12', () => {
    // Fresh MinPassingQueriesFinder per value, as LoadGen's Server check uses it.
    const loadgen = {
      0.9: [44, 63, 79, 187, 1146, 9722, 92231, 907003],
      0.99: [459, 661, 836, 2000, 12471, 106569, 1013394, 9973443],
      0.999: [4603, 6635, 8401, 20130, 125726, 1075032, 10224999, 100637761],
    };
    const ts = [0, 1, 2, 10, 100, 1000, 10000, 100000];
    for (const [fraction, expected] of Object.entries(loadgen)) {
      expect(ts.map((t) => minUnderLatencyQueries(t, Number(fraction)))).toEqual(expected);
    }
  });

  it.each(
    PERCENTILES.flatMap(({ fraction }) => [10_000, 100_000].map((t) => ({ fraction, t }))),
  )('is the boundary of a log-space brute force at t = $t, p = $fraction', ({ fraction, t }) => {
    const h = minUnderLatencyQueries(t, fraction);
    const logAlpha = Math.log(0.01);
    expect(logSpaceCdf(h, t, fraction)).toBeLessThan(logAlpha);
    expect(logSpaceCdf(h - 1, t, fraction)).toBeGreaterThanOrEqual(logAlpha);
  });

  it('grows with t and exceeds t p / (1 - p)', () => {
    for (const { fraction } of PERCENTILES) {
      let previous = minUnderLatencyQueries(0, fraction);
      for (const t of [1, 2, 3, 5, 8, 13, 100, 1000, 10_000, 100_000, 1_000_000]) {
        const h = minUnderLatencyQueries(t, fraction);
        expect(h).toBeGreaterThan(previous);
        expect(h).toBeGreaterThan((t * fraction) / (1 - fraction));
        previous = h;
      }
    }
  });

  it('needs more queries for more confidence', () => {
    expect(minUnderLatencyQueries(5, 0.99, 0.999)).toBeGreaterThan(minUnderLatencyQueries(5, 0.99));
    expect(minUnderLatencyQueries(5, 0.99, 0.9)).toBeLessThan(minUnderLatencyQueries(5, 0.99));
  });

  it('answers t = 10^5 quickly and t = 10^6 at all', () => {
    const start = performance.now();
    minUnderLatencyQueries(100_000, 0.95);
    expect(performance.now() - start).toBeLessThan(250);
    expect(minUnderLatencyQueries(1_000_000, 0.95)).toBeGreaterThan(19_000_000);
  });

  it('rejects percentiles given in percent and negative counts', () => {
    expect(() => minUnderLatencyQueries(1, 99)).toThrow(RangeError);
    expect(() => minUnderLatencyQueries(-1, 0.99)).toThrow(RangeError);
    expect(() => minUnderLatencyQueries(1, 0.99, 1)).toThrow(RangeError);
  });
});

describe('serverEarlyStopping', () => {
  const h3 = exactMinUnder(3, 99, 100);

  it('passes exactly from h_min(t) + t queries', () => {
    const pass = serverEarlyStopping(h3 + 3, 3, 0.99);
    expect(pass).toMatchObject({ passed: true, minQueriesNeeded: h3 + 3 });
    const fail = serverEarlyStopping(h3 + 2, 3, 0.99);
    expect(fail).toMatchObject({ passed: false, minQueriesNeeded: h3 + 3 });
    expect(fail.message).toContain('Need 1 more queries');
  });

  it('says how many more queries a failing run needs', () => {
    const result = serverEarlyStopping(500, 3, 0.99);
    expect(result.passed).toBe(false);
    expect(result.message).toContain(`Need ${h3 + 3 - 500} more queries (${h3 + 3} in all)`);
  });

  it('rejects more over-latency queries than queries', () => {
    expect(() => serverEarlyStopping(5, 6, 0.99)).toThrow(RangeError);
  });
});

describe('latency estimate (SingleStream / MultiStream)', () => {
  /** LoadGen's loop (results.cc), run on the exact table: first failing t from 2, minus 1. */
  function loadgenLoopT(n: number, table: number[]): number {
    for (let i = 2; i < table.length; i++) {
      if (n < table[i]! + i) return i - 1;
    }
    throw new Error('table too short for this n');
  }

  it('needs h_min(1) + 1 queries', () => {
    expect(minQueriesForEstimate(0.9)).toBe(exactTable(0.9)[1]! + 1);
    expect(minQueriesForEstimate(0.99)).toBe(exactTable(0.99)[1]! + 1);
    const tooFew = new Float64Array(exactTable(0.9)[1]!);
    const result = latencyEstimateEarlyStopping(tooFew, 0.9);
    expect(result).toMatchObject({ passed: false, minQueriesNeeded: 64 });
    expect(result.message).toContain('needs at least 64 (1 more)');
  });

  it('reports sorted[N - t] with t from LoadGen loop over exact values', () => {
    for (const fraction of [0.9, 0.99]) {
      const table = exactTable(fraction);
      const first = table[1]! + 1;
      const last = table[20]! + 20 - 1;
      for (let n = first; n <= last; n += 7) {
        const sorted = Float64Array.from({ length: n }, (_, i) => 1000 + i);
        const t = loadgenLoopT(n, table);
        const result = latencyEstimateEarlyStopping(sorted, fraction);
        if (!result.passed) expect.fail(`n=${n} should pass`);
        expect(result.overLatencyCount).toBe(t);
        expect(result.estimateIndex).toBe(n - t);
        expect(result.estimateNs).toBe(1000 + n - t);
      }
    }
  });

  it('is the max at the minimum N, then moves below it', () => {
    const n = minQueriesForEstimate(0.9); // 64
    const sorted = Float64Array.from({ length: 200 }, (_, i) => (i + 1) * 1_000);
    const atMinimum = latencyEstimateEarlyStopping(sorted.subarray(0, n), 0.9);
    expect(atMinimum).toMatchObject({ passed: true, overLatencyCount: 1, estimateIndex: n - 1 });
    // p = 0.9, N = 200: h_min(10) + 10 = 197 <= 200 < h_min(11) + 11 = 210, so t = 10.
    const full = latencyEstimateEarlyStopping(sorted, 0.9);
    expect(full).toMatchObject({ passed: true, overLatencyCount: 10, estimateIndex: 190 });
    if (full.passed) expect(full.estimateNs).toBe(191_000);
  });

  it('agrees with minQueriesForOverLatency at large N', () => {
    for (const n of [24_576, 270_336, 1_000_000]) {
      const t = maxOverLatency(n, 0.9);
      expect(minQueriesForOverLatency(t, 0.9)).toBeLessThanOrEqual(n);
      expect(minQueriesForOverLatency(t + 1, 0.9)).toBeGreaterThan(n);
    }
  });
});
