import { describe, expect, it } from 'vitest';
import {
  buildHistogram,
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  HISTOGRAM_HIGHEST_NS,
  type LatencyHistogram,
  mergeEncoded,
} from '../../src/loadgen/histogram.js';
import { exponential, Mt19937 } from '../../src/loadgen/rng.js';

const GRID = Array.from({ length: 201 }, (_, i) => i / 2); // 0, 0.5, ..., 100 percent

function percentiles(h: LatencyHistogram): number[] {
  return GRID.map((p) => h.getValueAtPercentile(p));
}

/** Latencies spread over ns .. seconds: exponential gaps in seconds, as integer ns. */
function latencies(seed: number, count: number, lambda: number): Float64Array {
  const rng = new Mt19937(seed);
  return Float64Array.from({ length: count }, () => Math.trunc(exponential(rng, lambda) * 1e9));
}

describe('histogram', () => {
  it('counts exactly: below 2048 ns every value has its own bucket', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
    const h = buildHistogram(values);
    expect(h.totalCount).toBe(1000);
    expect(h.getValueAtPercentile(50)).toBe(500);
    expect(h.getValueAtPercentile(99)).toBe(990);
    expect(h.getValueAtPercentile(100)).toBe(1000);
    expect(h.minNonZeroValue).toBe(1);
  });

  it('records only the first `count` values', () => {
    const values = Float64Array.from([5, 6, 7, 1e9]);
    const h = buildHistogram(values, 3);
    expect(h.totalCount).toBe(3);
    expect(h.maxValue).toBe(7);
    expect(() => buildHistogram(values, 5)).toThrow(RangeError);
  });

  it('clamps values below 1 ns to 1 ns and rejects non-finite ones', () => {
    const h = buildHistogram(Float64Array.from([0, -5, 0.25, 3]));
    expect(h.totalCount).toBe(4);
    expect(h.getValueAtPercentile(75)).toBe(1);
    expect(h.maxValue).toBe(3);
    expect(() => buildHistogram(Float64Array.from([Number.NaN]))).toThrow(RangeError);
  });

  it('holds values above 2^32 ns at 3 significant digits, and beyond an hour', () => {
    const hour = HISTOGRAM_HIGHEST_NS;
    const h = buildHistogram(Float64Array.from([5e9, hour, 2 * hour]));
    expect(h.totalCount).toBe(3);
    const [low, mid, high] = [0, 50, 100].map((p) => h.getValueAtPercentile(p));
    expect(Math.abs(low! - 5e9) / 5e9).toBeLessThan(1e-3);
    expect(Math.abs(mid! - hour) / hour).toBeLessThan(1e-3);
    expect(Math.abs(high! - 2 * hour) / (2 * hour)).toBeLessThan(1e-3);
  });

  it('round-trips through the compressed base64 encoding', () => {
    const h = buildHistogram(latencies(1, 20_000, 1000));
    const encoded = encodeHistogram(h);
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const decoded = decodeHistogram(encoded);
    expect(decoded.totalCount).toBe(h.totalCount);
    expect(percentiles(decoded)).toEqual(percentiles(h));
    expect(encodeHistogram(decoded)).toBe(encoded);
  });

  it('keeps counts above 2^32 in one bucket', () => {
    const h = createHistogram();
    h.recordValueWithCount(1234, 2 ** 40);
    h.recordValueWithCount(1999, 3);
    const decoded = decodeHistogram(encodeHistogram(h));
    expect(decoded.totalCount).toBe(2 ** 40 + 3);
    expect(decoded.getValueAtPercentile(50)).toBe(1234);
    expect(decoded.getValueAtPercentile(100)).toBe(1999);
  });

  it('merges to exactly the histogram of the concatenated values', () => {
    const parts = [latencies(1, 5000, 1000), latencies(2, 7000, 50), latencies(3, 1, 1)];
    parts.push(Float64Array.from([1, 7.5e12])); // an extreme pair: 1 ns and over 2 hours
    const merged = decodeHistogram(mergeEncoded(parts.map((p) => encodeHistogram(buildHistogram(p)))));

    const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      all.set(p, offset);
      offset += p.length;
    }
    const whole = decodeHistogram(encodeHistogram(buildHistogram(all)));

    expect(merged.totalCount).toBe(all.length);
    expect(percentiles(merged)).toEqual(percentiles(whole));
    expect(merged.outputPercentileDistribution()).toBe(whole.outputPercentileDistribution());
  });

  it('merges an empty list to an empty histogram', () => {
    expect(decodeHistogram(mergeEncoded([])).totalCount).toBe(0);
  });
});

describe('buildHistogramFromSorted', () => {
  it('encodes exactly as recording every value one by one', async () => {
    const { buildHistogram, buildHistogramFromSorted, encodeHistogram } = await import('../../src/loadgen/histogram.js');
    const values = new Float64Array(20_000);
    let x = 12345;
    for (let i = 0; i < values.length; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      values[i] = 1 + (x % 5_000_000) * (i % 7 === 0 ? 300 : 1);
    }
    values[0] = 0;
    const sorted = values.slice().sort();
    expect(encodeHistogram(buildHistogramFromSorted(sorted))).toBe(encodeHistogram(buildHistogram(values)));
  });
});
