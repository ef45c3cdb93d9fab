import { describe, expect, it } from 'vitest';
import { erf, expNonPositive, geluForward, softmaxRange } from '../../../src/workloads/tokens/math.js';

describe('tokens transformer maths from + - * /', () => {
  // Relative 4e-15, not 1 ulp: ln 2 is rounded in the range reduction.
  it('expNonPositive matches Math.exp to relative 4e-15 and flushes below -80', () => {
    for (const x of [0, -1e-9, -0.1, -0.5, -1, -2.5, -10, -37.3, -79.9]) {
      expect(Math.abs(expNonPositive(x) / Math.exp(x) - 1)).toBeLessThan(4e-15);
    }
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-80.5)).toBe(0);
  });

  it('erf matches reference values to 1e-15 and is odd', () => {
    // Reference values from the closed-form series to 17 digits (e.g. scipy.special.erf).
    const reference: [number, number][] = [
      [0, 0],
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [5, 0.9999999999984626],
      [7, 1],
    ];
    for (const [x, value] of reference) {
      expect(Math.abs(erf(x) - value)).toBeLessThan(1e-15);
      expect(erf(-x) + erf(x)).toBe(0);
    }
  });

  it('geluForward gives x * Phi(x) and a slope that matches central differences', () => {
    const xs = Float64Array.from([-6, -3, -1.5, -0.7, 0, 0.3, 1, 2.2, 4, 9]);
    const out = new Float64Array(xs.length);
    const slope = new Float64Array(xs.length);
    geluForward(xs, out, slope, xs.length);
    const h = 1e-6;
    const probe = new Float64Array(2);
    const probeOut = new Float64Array(2);
    const ignored = new Float64Array(2);
    xs.forEach((x, i) => {
      // x / sqrt 2 and x * (1 / sqrt 2) round differently, and 1 + erf cancels for very negative x.
      expect(out[i]).toBeCloseTo(x * 0.5 * (1 + erf(x / Math.SQRT2)), 14);
      probe[0] = x + h;
      probe[1] = x - h;
      geluForward(probe, probeOut, ignored, 2);
      expect(Math.abs((probeOut[0]! - probeOut[1]!) / (2 * h) - slope[i]!)).toBeLessThan(1e-8);
    });
    expect(out[4]).toBe(0);
    expect(out[9]).toBe(9); // Phi(9) rounds to 1
  });

  it('softmaxRange normalizes only its range, largest score largest weight', () => {
    const values = Float64Array.from([5, 1, 2, 3, 7]);
    softmaxRange(values, 1, 3);
    expect(values[0]).toBe(5);
    expect(values[4]).toBe(7);
    expect(values[1]! + values[2]! + values[3]!).toBeCloseTo(1, 15);
    expect(values[3]! / values[2]!).toBeCloseTo(Math.E, 13);
  });
});
