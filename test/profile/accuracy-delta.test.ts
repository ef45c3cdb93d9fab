import { describe, expect, it } from 'vitest';
import { type AccuracyPass, againstReference, candidateAccuracy, comparesWithReference, referenceAccuracy } from '../../src/profile/accuracy-delta.js';

// 1004 of 1024 samples right: 0.99 x 0.98046875 = 0.9706640625 and 0.999 x it = 0.97948828125.
const REFERENCE = 1004 / 1024;
const top1 = (right: number): AccuracyPass => ({ metric: 'top1', value: right / 1024, agreement: 0.99, meanCosine: 0.999 });
const agreement = (same: number): AccuracyPass => ({ metric: 'agreement', value: same / 1024, agreement: same / 1024, meanCosine: 0.9995 });

describe('againstReference: delta, ratio, 99% and 99.9% of the reference', () => {
  it('just above and just below 99% of a labelled reference', () => {
    expect(againstReference(994 / 1024, REFERENCE)).toEqual({ reference: 0.98046875, delta: -0.009765625, ratio: 0.970703125 / 0.98046875, pass99: true, pass999: false });
    expect(againstReference(993 / 1024, REFERENCE)).toMatchObject({ delta: -0.0107421875, pass99: false, pass999: false });
  });

  it('just above and just below 99.9% of a labelled reference', () => {
    expect(againstReference(1003 / 1024, REFERENCE)).toMatchObject({ delta: -0.0009765625, pass99: true, pass999: true });
    expect(againstReference(1002 / 1024, REFERENCE)).toMatchObject({ delta: -0.001953125, pass99: true, pass999: false });
  });

  it('equal to the reference passes both; above it has a positive delta', () => {
    expect(againstReference(REFERENCE, REFERENCE)).toEqual({ reference: REFERENCE, delta: 0, ratio: 1, pass99: true, pass999: true });
    expect(againstReference(1010 / 1024, REFERENCE)).toMatchObject({ delta: 0.005859375, pass99: true, pass999: true });
  });

  it('no reference: nothing to judge', () => {
    expect(againstReference(0.9, null)).toEqual({ reference: null, delta: null, ratio: null, pass99: null, pass999: null });
  });

  it('a zero reference has no ratio', () => {
    expect(againstReference(0, 0)).toEqual({ reference: 0, delta: 0, ratio: null, pass99: true, pass999: true });
  });
});

describe('the fp32 cell and the others', () => {
  it('labelled: fp32 is its own reference, agreeing fully with itself', () => {
    expect(referenceAccuracy({ metric: 'top1', value: REFERENCE, agreement: null, meanCosine: null }, 'top1')).toEqual({
      metric: 'top1',
      value: 0.98046875,
      reference: 0.98046875,
      delta: 0,
      ratio: 1,
      agreement: 1,
      meanCosine: 1,
      pass99: true,
      pass999: true,
    });
  });

  it("labelled: another precision is held to fp32's top-1 and keeps its own agreement", () => {
    const fp32 = referenceAccuracy(top1(1004), 'top1');
    expect(candidateAccuracy(top1(994), fp32)).toEqual({
      metric: 'top1',
      value: 0.970703125,
      reference: 0.98046875,
      delta: -0.009765625,
      ratio: 0.970703125 / 0.98046875,
      agreement: 0.99,
      meanCosine: 0.999,
      pass99: true,
      pass999: false,
    });
    expect(candidateAccuracy(top1(993), fp32)).toMatchObject({ pass99: false, pass999: false });
  });

  it('without labels: fp32 scores nothing itself, so its accuracy is agreement 1', () => {
    const fp32 = referenceAccuracy({ metric: null, value: null, agreement: null, meanCosine: null }, null);
    expect(fp32).toEqual({ metric: 'agreement', value: 1, reference: 1, delta: 0, ratio: 1, agreement: 1, meanCosine: 1, pass99: true, pass999: true });
  });

  it('without labels: agreement is held to 1 at 99% and 99.9%', () => {
    const fp32 = referenceAccuracy({ metric: null, value: null, agreement: null, meanCosine: null }, null);
    expect(candidateAccuracy(agreement(1014), fp32)).toEqual({
      metric: 'agreement',
      value: 0.990234375,
      reference: 1,
      delta: -0.009765625,
      ratio: 0.990234375,
      agreement: 0.990234375,
      meanCosine: 0.9995,
      pass99: true,
      pass999: false,
    });
    expect(candidateAccuracy(agreement(1013), fp32)).toMatchObject({ delta: -0.0107421875, pass99: false, pass999: false });
    expect(candidateAccuracy(agreement(1023), fp32)).toMatchObject({ delta: -0.0009765625, pass99: true, pass999: true });
    expect(candidateAccuracy(agreement(1022), fp32)).toMatchObject({ delta: -0.001953125, pass99: true, pass999: false });
  });

  it("a workload whose metric compares with a reference names it for fp32 too", () => {
    expect(referenceAccuracy({ metric: null, value: null, agreement: null, meanCosine: null }, 'cosine')).toMatchObject({ metric: 'cosine', value: 1 });
    expect(comparesWithReference('cosine')).toBe(true);
    expect(comparesWithReference('top1')).toBe(false);
    expect(comparesWithReference('bleu')).toBe(false);
  });

  it('no fp32 accuracy, or nothing scored: no verdict', () => {
    expect(candidateAccuracy(top1(994), null)).toMatchObject({ value: 0.970703125, reference: null, delta: null, pass99: null, pass999: null });
    expect(candidateAccuracy({ metric: null, value: null, agreement: null, meanCosine: null }, referenceAccuracy(top1(1004), 'top1'))).toBeNull();
  });
});
