import { describe, expect, it } from 'vitest';
import { GrowableFloat64, GrowableInt32, GrowableUint8 } from '../../src/loadgen/growable.js';

describe('Growable arrays', () => {
  it('reserve keeps the contents and the length, and later items land after them', () => {
    const expected = [...Array.from({ length: 20 }, (_, i) => i + 1), 99];
    for (const a of [new GrowableFloat64(16), new GrowableInt32(16)]) {
      for (let i = 0; i < 20; i++) a.push(i + 1);
      a.reserve(5000);
      expect(a.length).toBe(20);
      a.push(99);
      expect(Array.from(a.view())).toEqual(expected);
    }
    const bytes = new GrowableUint8(16);
    bytes.resize(20);
    for (let i = 0; i < 20; i++) bytes.set(i, i + 1);
    bytes.reserve(5000);
    expect(bytes.length).toBe(20);
    bytes.resize(21);
    bytes.set(20, 99);
    expect(Array.from(bytes.view())).toEqual(expected);
  });

  it('reserve commits the new pages at once: resident memory grows by the reserved bytes before any write', () => {
    const bytes = 96 * 2 ** 20;
    const array = new GrowableFloat64(16);
    const before = process.memoryUsage().rss;
    array.reserve(bytes / 8);
    const grown = process.memoryUsage().rss - before;
    // Pages are committed by the OS only when written: without the commit RSS would barely move.
    expect(grown).toBeGreaterThan(0.9 * bytes);
    expect(array.length).toBe(0);
  });
});
