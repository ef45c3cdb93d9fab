import { describe, expect, it } from 'vitest';
import { changePercent, formatChange } from '../../src/compare/change.js';

describe('changePercent: value / baseline - 1, in percent', () => {
  it('round inputs give exact round percents', () => {
    expect(changePercent(380, 400)).toBe(-5);
    expect(changePercent(370, 400)).toBe(-7.5);
    expect(changePercent(11.5, 10)).toBe(15);
    expect(changePercent(420, 400)).toBe(5);
    expect(changePercent(400, 400)).toBe(0);
  });

  it('is null when a side is missing or the baseline is zero', () => {
    expect(changePercent(null, 400)).toBeNull();
    expect(changePercent(400, null)).toBeNull();
    expect(changePercent(1, 0)).toBeNull();
  });
});

describe('formatChange', () => {
  it('signs every non-zero change, one decimal', () => {
    expect(formatChange(4.2)).toBe('+4.2%');
    expect(formatChange(-3.1)).toBe('-3.1%');
    expect(formatChange(-7.5)).toBe('-7.5%');
    expect(formatChange(0)).toBe('0.0%');
    expect(formatChange(null)).toBe('n/a');
  });
});
