import { describe, expect, it } from 'vitest';
import { countedValues, median, nearestIndex } from '../../src/profile/repetitions.js';

describe('median', () => {
  it('the middle value of an odd count, whatever the order', () => {
    expect(median([1200, 900, 1000])).toBe(1000);
    expect(median([7])).toBe(7);
  });

  it('the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([1000, 1500])).toBe(1250);
  });

  it('none: null', () => {
    expect(median([])).toBeNull();
  });
});

describe('nearestIndex', () => {
  it('the value nearest the target, the first of equals', () => {
    expect(nearestIndex([1000, 1500], 1250)).toBe(0);
    expect(nearestIndex([900, 1200, 1000], 1000)).toBe(2);
    expect(nearestIndex([], 1)).toBe(-1);
  });
});

describe('countedValues: what the median is taken over', () => {
  it('INVALID repetitions are left out while any is VALID', () => {
    expect(
      countedValues([
        { value: 1000, valid: true },
        { value: 5000, valid: false },
        { value: 1100, valid: true },
      ]),
    ).toEqual({ values: [1000, 1100], from: [0, 2], validCount: 2 });
  });

  it('none VALID: every measured value counts (the row is INVALID)', () => {
    expect(
      countedValues([
        { value: 3, valid: false },
        { value: null, valid: false },
        { value: 2, valid: false },
      ]),
    ).toEqual({ values: [3, 2], from: [0, 2], validCount: 0 });
  });
});
