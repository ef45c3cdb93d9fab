import { describe, expect, it } from 'vitest';
import {
  percentileIndex,
  percentileOfSorted,
  REPORTED_FRACTIONS,
  REPORTED_PERCENTS,
} from '../../src/loadgen/percentiles.js';

/** floor(n * numerator / denominator) in exact integer arithmetic. */
function exactFloor(n: number, numerator: number, denominator: number): number {
  return Number((BigInt(n) * BigInt(numerator)) / BigInt(denominator));
}

// Each reported percentile as an exact ratio, with the doubles it may arrive as.
const EXACT = [
  { numerator: 1, denominator: 2, doubles: [0.5, 50 / 100, 50 * 0.01] },
  { numerator: 9, denominator: 10, doubles: [0.9, 90 / 100, 90 * 0.01] },
  { numerator: 19, denominator: 20, doubles: [0.95, 95 / 100, 95 * 0.01] },
  { numerator: 97, denominator: 100, doubles: [0.97, 97 / 100, 97 * 0.01] },
  { numerator: 99, denominator: 100, doubles: [0.99, 99 / 100, 99 * 0.01] },
  { numerator: 999, denominator: 1000, doubles: [0.999, 99.9 / 100, 99.9 * 0.01] },
];

describe('percentileIndex', () => {
  it('is floor(N * p), no interpolation', () => {
    expect(percentileIndex(10, 0.9)).toBe(9);
    expect(percentileIndex(10, 0.5)).toBe(5);
    expect(percentileIndex(1000, 0.999)).toBe(999);
    expect(percentileIndex(999, 0.999)).toBe(998);
    expect(percentileIndex(1, 0.99)).toBe(0);
    expect(percentileIndex(7, 0)).toBe(0);
  });

  it('clamps fraction 1 to the maximum', () => {
    expect(percentileIndex(10, 1)).toBe(9);
  });

  it('matches exact arithmetic for every N up to 200000 and for huge multiples of 1000', () => {
    const huge = [1e9, 123456789000, 999999999000, 2 ** 39 * 1000 - 1000];
    for (const { numerator, denominator, doubles } of EXACT) {
      for (const fraction of doubles) {
        for (let n = 1; n <= 200_000; n++) {
          if (Math.floor(n * fraction) !== exactFloor(n, numerator, denominator)) {
            expect.fail(`n=${n} fraction=${fraction}`);
          }
        }
        for (const n of huge) {
          expect(percentileIndex(n, fraction)).toBe(exactFloor(n, numerator, denominator));
        }
      }
    }
  });

  it('rejects empty inputs and fractions outside [0, 1]', () => {
    expect(() => percentileIndex(0, 0.5)).toThrow(RangeError);
    expect(() => percentileIndex(10, 99)).toThrow(RangeError);
    expect(() => percentileIndex(10, Number.NaN)).toThrow(RangeError);
  });
});

describe('percentileOfSorted', () => {
  it('reads the sorted value at the index', () => {
    const sorted = Float64Array.from({ length: 200 }, (_, i) => (i + 1) * 10);
    expect(percentileOfSorted(sorted, 0.5)).toBe(1010);
    expect(percentileOfSorted(sorted, 0.99)).toBe(1990);
    expect(percentileOfSorted(sorted, 0.999)).toBe(2000);
  });
});

describe('reported percentiles', () => {
  it('lists the same percentiles in percent and as LoadGen fractions', () => {
    expect(REPORTED_PERCENTS).toEqual([50, 90, 95, 97, 99, 99.9]);
    REPORTED_PERCENTS.forEach((percent, i) => {
      expect(REPORTED_FRACTIONS[i]).toBeCloseTo(percent / 100, 15);
    });
  });
});
