import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  makeShapesSample,
  SHAPES_CLASSES,
  SHAPES_IMAGE_SHAPE,
  type ShapesSplit,
  shapesLabel,
} from '../../src/workloads/shapes/dataset.js';

const PIXELS = SHAPES_IMAGE_SHAPE[0] * SHAPES_IMAGE_SHAPE[1] * SHAPES_IMAGE_SHAPE[2];

/** sha256 of the pixels as little-endian float32, independent of host byte order. */
function pixelDigest(pixels: Float32Array): string {
  const bytes = new Uint8Array(pixels.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < pixels.length; i++) view.setFloat32(i * 4, pixels[i]!, true);
  return createHash('sha256').update(bytes).digest('hex');
}

describe('shapes dataset', () => {
  it('declares 10 distinct classes and a CHW 3x32x32 image', () => {
    expect(SHAPES_CLASSES).toHaveLength(10);
    expect(new Set(SHAPES_CLASSES).size).toBe(10);
    expect(SHAPES_IMAGE_SHAPE).toEqual([3, 32, 32]);
  });

  it('gives identical pixels and label for the same (seed, split, index)', () => {
    for (const [seed, split, index] of [
      [7, 'eval', 0],
      [7, 'train', 5],
      [123, 'eval', 4096],
    ] as const) {
      const a = makeShapesSample(seed, split, index);
      const b = makeShapesSample(seed, split, index);
      expect(b.label).toBe(a.label);
      expect(b.pixels).toEqual(a.pixels);
    }
  });

  it('does not depend on which other samples were generated first', () => {
    const direct = makeShapesSample(7, 'eval', 500);
    for (let i = 0; i < 20; i++) makeShapesSample(7, 'train', i);
    expect(makeShapesSample(7, 'eval', 500).pixels).toEqual(direct.pixels);
  });

  it('reproduces exact recorded values (guards against any change to the generator)', () => {
    const cases: [number, ShapesSplit, number, number, string][] = [
      [7, 'eval', 0, 0, 'd0ad84e7d6c80ef88f380aba50d73c871af0ddd9809ada10daf1e6fdaca561e3'],
      [7, 'train', 0, 2, '5e5f3c4c311f2470b2dc66e475b19a6e13539d1fe316f2a796982e147181f914'],
      [7, 'eval', 1023, 9, '388a0867105d1d4c826efed6f2f89857dfd407addd5747d910069bda9c7df37e'],
      [42, 'train', 99999, 1, '3d18f0e815d2e132a9bb9c31a34dd27682ce5d33157660209dd61690c770331a'],
    ];
    for (const [seed, split, index, label, digest] of cases) {
      const sample = makeShapesSample(seed, split, index);
      expect(sample.label).toBe(label);
      expect(pixelDigest(sample.pixels)).toBe(digest);
    }
    const evalLabels = Array.from({ length: 20 }, (_, i) => shapesLabel(7, 'eval', i));
    expect(evalLabels).toEqual([0, 6, 9, 1, 5, 2, 8, 4, 3, 7, 6, 2, 4, 9, 3, 8, 7, 1, 5, 0]);
  });

  it('returns 3*32*32 float32 pixels in [0, 1] with a label in range', () => {
    for (let i = 0; i < 50; i++) {
      const { pixels, label } = makeShapesSample(7, 'eval', i);
      expect(pixels).toBeInstanceOf(Float32Array);
      expect(pixels).toHaveLength(PIXELS);
      expect(Number.isInteger(label) && label >= 0 && label < SHAPES_CLASSES.length).toBe(true);
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const value of pixels) {
        if (value < min) min = value;
        if (value > max) max = value;
      }
      expect(min).toBeGreaterThanOrEqual(0);
      expect(max).toBeLessThanOrEqual(1);
      expect(max - min).toBeGreaterThan(0.2); // something is drawn
    }
  });

  it('draws different images for the train and eval splits and for different seeds', () => {
    for (let i = 0; i < 20; i++) {
      const train = makeShapesSample(7, 'train', i);
      expect(makeShapesSample(7, 'eval', i).pixels).not.toEqual(train.pixels);
      expect(makeShapesSample(8, 'train', i).pixels).not.toEqual(train.pixels);
    }
  });

  it('shapesLabel() agrees with makeShapesSample().label', () => {
    for (let i = 0; i < 30; i++) {
      expect(shapesLabel(7, 'eval', i)).toBe(makeShapesSample(7, 'eval', i).label);
    }
  });

  it('balances labels: every block of 10 indices holds each class once', () => {
    for (const split of ['train', 'eval'] as const) {
      const counts = new Array<number>(SHAPES_CLASSES.length).fill(0);
      for (let i = 0; i < 1000; i++) {
        const label = shapesLabel(7, split, i);
        counts[label] = counts[label]! + 1;
      }
      expect(counts).toEqual(new Array(SHAPES_CLASSES.length).fill(100));
      const block = Array.from({ length: 10 }, (_, i) => shapesLabel(7, split, 370 + i));
      expect([...block].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  it('rejects indices and seeds that are not uint32', () => {
    expect(() => makeShapesSample(7, 'eval', -1)).toThrow(RangeError);
    expect(() => makeShapesSample(7, 'eval', 1.5)).toThrow(RangeError);
    expect(() => makeShapesSample(-3, 'eval', 0)).toThrow(RangeError);
  });
});
