import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { countsOnlyAccuracy } from '../../../src/workloads/tokens/counts-baseline.js';
import {
  makeTokensSample,
  TOKENS_CLASSES,
  TOKENS_MARKER_ID,
  TOKENS_SEQUENCE_LENGTH,
  TOKENS_VOCABULARY_SIZE,
  type TokensSplit,
  tokenGroup,
  tokensLabel,
} from '../../../src/workloads/tokens/dataset.js';

function idsDigest(ids: Int32Array): string {
  return createHash('sha256').update(Buffer.from(Array.from(ids).join(','))).digest('hex').slice(0, 16);
}

function groupCounts(ids: Int32Array): number[] {
  const counts = new Array<number>(TOKENS_CLASSES.length).fill(0);
  for (const id of ids) {
    const group = tokenGroup(id);
    if (group >= 0) counts[group] = counts[group]! + 1;
  }
  return counts;
}

describe('tokens dataset', () => {
  it('declares 16-token sequences over 64 ids and 4 distinct classes (chance 25%)', () => {
    expect(TOKENS_SEQUENCE_LENGTH).toBe(16);
    expect(TOKENS_VOCABULARY_SIZE).toBe(64);
    expect(TOKENS_CLASSES).toHaveLength(4);
    expect(new Set(TOKENS_CLASSES).size).toBe(4);
    expect([0, 1, 3, 4, 18, 19, 63, 64].map(tokenGroup)).toEqual([-1, -1, -1, 0, 0, 1, 3, -1]);
  });

  it('gives identical ids and label for the same (seed, split, index)', () => {
    for (const [seed, split, index] of [
      [11, 'eval', 0],
      [11, 'train', 5],
      [123, 'eval', 4096],
    ] as const) {
      const a = makeTokensSample(seed, split, index);
      const b = makeTokensSample(seed, split, index);
      expect(b.label).toBe(a.label);
      expect(b.ids).toEqual(a.ids);
    }
  });

  it('does not depend on which other samples were generated first', () => {
    const direct = makeTokensSample(11, 'eval', 500);
    for (let i = 0; i < 20; i++) makeTokensSample(11, 'train', i);
    expect(makeTokensSample(11, 'eval', 500)).toEqual(direct);
  });

  it('reproduces exact recorded sequences (guards against any change to the generator)', () => {
    const first = makeTokensSample(11, 'eval', 0);
    expect(Array.from(first.ids)).toEqual([0, 32, 37, 58, 19, 10, 43, 49, 26, 49, 54, 59, 30, 33, 44, 49]);
    expect(first.label).toBe(1);
    const cases: [number, TokensSplit, number, number, string][] = [
      [11, 'train', 0, 0, 'cc7488be5a552f6f'],
      [11, 'eval', 1023, 0, 'dcc94edb4cdfb277'],
      [42, 'train', 99999, 1, 'cb32de0da144b537'],
    ];
    for (const [seed, split, index, label, digest] of cases) {
      const sample = makeTokensSample(seed, split, index);
      expect(sample.label).toBe(label);
      expect(idsDigest(sample.ids)).toBe(digest);
    }
  });

  it('has one marker, never last, followed by a token of the label group; other ids are non-marker', () => {
    for (const split of ['train', 'eval'] as const) {
      for (let i = 0; i < 500; i++) {
        const { ids, label } = makeTokensSample(11, split, i);
        expect(ids).toBeInstanceOf(Int32Array);
        expect(ids).toHaveLength(TOKENS_SEQUENCE_LENGTH);
        const markers = Array.from(ids.keys()).filter((p) => ids[p] === TOKENS_MARKER_ID);
        expect(markers).toHaveLength(1);
        const at = markers[0]!;
        expect(at).toBeLessThan(TOKENS_SEQUENCE_LENGTH - 1);
        expect(tokenGroup(ids[at + 1]!)).toBe(label);
        for (const id of ids) expect(id >= 0 && id < TOKENS_VOCABULARY_SIZE).toBe(true);
      }
    }
  });

  it('draws different sequences for the train and eval splits and for different seeds', () => {
    for (let i = 0; i < 20; i++) {
      const train = makeTokensSample(11, 'train', i);
      expect(makeTokensSample(11, 'eval', i).ids).not.toEqual(train.ids);
      expect(makeTokensSample(12, 'train', i).ids).not.toEqual(train.ids);
    }
  });

  it('tokensLabel() agrees with makeTokensSample().label', () => {
    for (const split of ['train', 'eval'] as const) {
      for (let i = 0; i < 200; i++) expect(tokensLabel(11, split, i)).toBe(makeTokensSample(11, split, i).label);
    }
  });

  it('balances labels exactly: 1024 samples hold 256 of each class, every block of 4 each class once', () => {
    for (const split of ['train', 'eval'] as const) {
      const counts = new Array<number>(TOKENS_CLASSES.length).fill(0);
      for (let i = 0; i < 1024; i++) {
        const label = tokensLabel(11, split, i);
        counts[label] = counts[label]! + 1;
      }
      expect(counts).toEqual([256, 256, 256, 256]);
      const block = Array.from({ length: 4 }, (_, i) => tokensLabel(11, split, 372 + i));
      expect([...block].sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
    }
  });

  it('leaves token counts a weak hint: the most frequent group is the label 39.1% of the time', () => {
    // Exact value, also computed independently (enumerating the 14 free positions' group counts in Python).
    expect(countsOnlyAccuracy()).toBeCloseTo(0.39149370718610116, 14);
    // The generator agrees: 4000 samples, binomial standard deviation about 0.8%.
    let score = 0;
    const samples = 4000;
    for (let i = 0; i < samples; i++) {
      const { ids, label } = makeTokensSample(11, 'train', i);
      const counts = groupCounts(ids);
      const most = Math.max(...counts);
      const tied = counts.filter((c) => c === most).length;
      if (counts[label] === most) score += 1 / tied;
    }
    expect(Math.abs(score / samples - countsOnlyAccuracy())).toBeLessThan(0.03);
  });

  it('rejects indices and seeds that are not uint32', () => {
    expect(() => makeTokensSample(11, 'eval', -1)).toThrow(RangeError);
    expect(() => makeTokensSample(11, 'eval', 1.5)).toThrow(RangeError);
    expect(() => tokensLabel(-3, 'eval', 0)).toThrow(RangeError);
  });
});
