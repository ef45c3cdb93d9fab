import { describe, expect, it } from 'vitest';
import {
  quantizeBiasInt32,
  quantizeInt8PerChannel,
  quantizeValue,
  roundAwayFromZero,
  roundHalfToEven,
  uint8AsymmetricParams,
} from '../../src/precision/quant-math.js';

describe('rounding and saturation', () => {
  it('rounds half to even, as QuantizeLinear does', () => {
    expect([0.5, 1.5, 2.5, -1.5, -2.5, 2.4, 2.6, -2.6].map(roundHalfToEven)).toEqual([0, 2, 2, -2, -2, 2, 3, -3]);
  });

  it('saturates to the integer range', () => {
    expect(quantizeValue(300, { scale: 1, zeroPoint: 0 }, 0, 255)).toBe(255);
    expect(quantizeValue(-5, { scale: 1, zeroPoint: 0 }, 0, 255)).toBe(0);
    expect(quantizeValue(-5, { scale: 1, zeroPoint: 10 }, 0, 255)).toBe(5);
    expect(quantizeValue(200, { scale: 1, zeroPoint: 0 }, -127, 127)).toBe(127);
    expect(quantizeValue(-200, { scale: 1, zeroPoint: 0 }, -127, 127)).toBe(-127);
    expect(quantizeValue(2.5, { scale: 1, zeroPoint: 0 }, -127, 127)).toBe(2);
  });
});

describe('uint8 asymmetric scale and zero point from a min/max', () => {
  it('spreads [min, max] over 0..255 with 0 exactly representable', () => {
    // scale = float32(2 / 255); -min / scale = 127.49999..., so the zero point is 127.
    expect(uint8AsymmetricParams({ min: -1, max: 1 })).toEqual({ scale: Math.fround(2 / 255), zeroPoint: 127 });
    expect(uint8AsymmetricParams({ min: -0.2, max: 1.3 })).toEqual({ scale: Math.fround(1.5 / 255), zeroPoint: 34 });
  });

  it('widens the range to include 0', () => {
    expect(uint8AsymmetricParams({ min: 0.5, max: 2 })).toEqual({ scale: Math.fround(2 / 255), zeroPoint: 0 });
    expect(uint8AsymmetricParams({ min: -3, max: -1 })).toEqual({ scale: Math.fround(3 / 255), zeroPoint: 255 });
  });

  it('uses scale 1 for a tensor that was always 0, and refuses non-finite ranges', () => {
    expect(uint8AsymmetricParams({ min: 0, max: 0 })).toEqual({ scale: 1, zeroPoint: 0 });
    expect(() => uint8AsymmetricParams({ min: 0, max: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
});

describe('int8 symmetric weights, one scale per channel', () => {
  const weights = Float32Array.of(1, -0.5, 0.25, 2);

  it('along axis 0 (rows: Conv and transB Gemm output channels)', () => {
    const { values, scales } = quantizeInt8PerChannel(weights, [2, 2], 0);
    expect([...scales]).toEqual([Math.fround(1 / 127), Math.fround(2 / 127)]);
    // -0.5 / float32(1/127) = -63.50000024 -> -64; 0.25 / float32(2/127) = 15.875 -> 16.
    expect([...values]).toEqual([127, -64, 16, 127]);
  });

  it('along axis 1 (columns: MatMul output features)', () => {
    const { values, scales } = quantizeInt8PerChannel(weights, [2, 2], 1);
    expect([...scales]).toEqual([Math.fround(1 / 127), Math.fround(2 / 127)]);
    expect([...values]).toEqual([127, -32, 32, 127]);
  });

  it('gives an all-zero channel scale 1 rather than 0', () => {
    const { values, scales } = quantizeInt8PerChannel(Float32Array.of(0, 0, 3, -3), [2, 2], 0);
    expect([...scales]).toEqual([1, Math.fround(3 / 127)]);
    expect([...values]).toEqual([0, 0, 127, -127]);
  });
});

describe('int32 bias', () => {
  it('uses scale = input scale x weight scale per channel', () => {
    const { values, scales } = quantizeBiasInt32(Float32Array.of(0.5, -1), Math.fround(0.01), Float32Array.of(0.5, 0.25));
    expect([...scales]).toEqual([Math.fround(Math.fround(0.01) * 0.5), Math.fround(Math.fround(0.01) * 0.25)]);
    expect([...values]).toEqual([100, -400]);
  });

  it('saturates at the int32 range', () => {
    expect([...quantizeBiasInt32(Float32Array.of(1e12), 1e-3, Float32Array.of(1)).values]).toEqual([2_147_483_647]);
  });
});

describe('calibrated ranges rounded outward', () => {
  it('keeps 8 significant bits, rounding away from zero', () => {
    expect(roundAwayFromZero(1, 8)).toBe(1);
    expect(roundAwayFromZero(1 + 2 ** -10, 8)).toBe(1 + 2 ** -7);
    expect(roundAwayFromZero(-3.3, 8)).toBe(-3.3125);
    expect(roundAwayFromZero(255.5, 8)).toBe(256);
    expect(roundAwayFromZero(0.1, 8)).toBe(0.10009765625);
    expect(roundAwayFromZero(0, 8)).toBe(0);
  });
});
