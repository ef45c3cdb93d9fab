import { describe, expect, it } from 'vitest';
import { fromHalfBits, toHalfBits } from '../../src/numeric/float16.js';

describe('FP16 bits', () => {
  it('encodes known values exactly', () => {
    const cases: [number, number][] = [
      [1.0, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff],
      [2 ** -14, 0x0400],
      [2 ** -24, 0x0001],
      [0, 0x0000],
      [-0, 0x8000],
      [65536, 0x7c00],
      [Number.POSITIVE_INFINITY, 0x7c00],
      [Number.NEGATIVE_INFINITY, 0xfc00],
    ];
    for (const [value, bits] of cases) expect([value, toHalfBits(value)]).toEqual([value, bits]);
    expect(toHalfBits(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(toHalfBits(Number.NaN) & 0x03ff).not.toBe(0);
  });

  it('rounds half-way values to even', () => {
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // between 0x3c00 and 0x3c01: even is 0x3c00
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // between 0x3c01 and 0x3c02
    expect(toHalfBits(2 ** -25)).toBe(0x0000); // between 0 and the smallest subnormal
    expect(toHalfBits(3 * 2 ** -25)).toBe(0x0002);
    expect(toHalfBits(65520)).toBe(0x7c00); // between 65504 (odd) and 65536: up, to infinity
    expect(toHalfBits(-(1 + 2 ** -11))).toBe(0xbc00);
  });

  it('rounds values near a half-way point to the nearer side, not to even', () => {
    // float32 would round these onto the half-way point; the nearer half is what counts.
    expect(toHalfBits(1 + 2 ** -11 + 2 ** -40)).toBe(0x3c01);
    expect(toHalfBits(1 + 3 * 2 ** -11 - 2 ** -40)).toBe(0x3c01);
    expect(toHalfBits(2 ** -25 + 2 ** -60)).toBe(0x0001);
    expect(toHalfBits(65520 - 2 ** -20)).toBe(0x7bff);
  });

  it('decodes known bits exactly', () => {
    expect(fromHalfBits(0x3c00)).toBe(1);
    expect(fromHalfBits(0x7bff)).toBe(65504);
    expect(fromHalfBits(0x0001)).toBe(2 ** -24);
    expect(fromHalfBits(0x0400)).toBe(2 ** -14);
    expect(fromHalfBits(0xc000)).toBe(-2);
    expect(Object.is(fromHalfBits(0x8000), -0)).toBe(true);
    expect(fromHalfBits(0x7c00)).toBe(Number.POSITIVE_INFINITY);
    expect(fromHalfBits(0xfc00)).toBe(Number.NEGATIVE_INFINITY);
    expect(fromHalfBits(0x7e00)).toBeNaN();
  });

  it('round-trips every finite half value', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00) continue;
      if (toHalfBits(fromHalfBits(bits)) !== bits) throw new Error(`0x${bits.toString(16)} does not round-trip`);
    }
  });
});
