/**
 * LoadGen's percentile rule (results.cc::ProcessLatencies): the value at index N * p of the
 * sorted latencies, the product taken in double precision and truncated by the conversion to
 * size_t. No interpolation: p90 of 10 values is the largest.
 *
 * Percentiles here are fractions (0.99). For LoadGen's fractions (0.5 ... 0.999, and 0.95 or
 * 0.999 written as 95 * 0.01 or 99.9 / 100) the double product's floor equals the exact
 * floor(N * p) for every N below 10^12: the fraction's relative representation error is below
 * 2^-54, so N * p never rounds across an integer. Math.floor(n * fraction) is therefore exactly
 * LoadGen's index (test/loadgen/percentiles.test.ts checks it against exact arithmetic).
 */

/** The percentiles LoadGen reports besides the target one, in percent (user-facing). */
export const REPORTED_PERCENTS = [50, 90, 95, 97, 99, 99.9] as const;

/** REPORTED_PERCENTS as fractions, the same doubles as LoadGen's results.h literals. */
export const REPORTED_FRACTIONS = [0.5, 0.9, 0.95, 0.97, 0.99, 0.999] as const;

/** floor(n * fraction), clamped to n - 1 so that fraction 1 means the maximum. */
export function percentileIndex(n: number, fraction: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`need n >= 1 samples, got ${n}`);
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new RangeError(`percentile must be a fraction in [0, 1], got ${fraction}`);
  }
  return Math.min(Math.floor(n * fraction), n - 1);
}

/** The LoadGen percentile of ascending-sorted values. */
export function percentileOfSorted(sorted: Float64Array, fraction: number): number {
  return sorted[percentileIndex(sorted.length, fraction)]!;
}
