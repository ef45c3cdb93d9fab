import { describe, expect, it } from 'vitest';
import { fromHalfBits as fromFloat16Bits, toHalfBits as toFloat16Bits } from '../../src/numeric/float16.js';

describe('float32 -> float16 bits', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.1, 0x2e66],
    [65504, 0x7bff],
    [65519.99, 0x7bff],
    [65520, 0x7c00],
    [1e6, 0x7c00],
    [Number.POSITIVE_INFINITY, 0x7c00],
    [Number.NEGATIVE_INFINITY, 0xfc00],
    [Number.NaN, 0x7e00],
    [2 ** -14, 0x0400],
    [2 ** -24, 0x0001],
    [2 ** -25, 0x0000],
    [1.5 * 2 ** -25, 0x0001],
    [3 * 2 ** -25, 0x0002],
    [1e-8, 0x0000],
    [-1e-8, 0x8000],
  ])('%d -> %i', (value, bits) => {
    expect(toFloat16Bits(value)).toBe(bits);
  });

  it('rounds ties to even', () => {
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(toFloat16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
  });

  it('round-trips every finite float16 value and keeps NaN a NaN', () => {
    const mismatches: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = fromFloat16Bits(bits);
      const expected = Number.isNaN(value) ? 0x7e00 : bits;
      if (toFloat16Bits(value) !== expected) mismatches.push(bits);
    }
    expect(mismatches).toEqual([]);
  });
});
