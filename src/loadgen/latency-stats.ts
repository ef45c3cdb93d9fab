import type { LatencyStats } from '../results/types.js';
import { buildHistogramFromSorted, encodeHistogram } from './histogram.js';
import { percentileOfSorted, REPORTED_PERCENTS } from './percentiles.js';

/** Percent as a result key: 99 -> "99", 99.9 -> "99.9". */
export function percentKey(percent: number): string {
  return String(Number(percent.toFixed(6)));
}

/**
 * Exact percentiles (LoadGen's floor(N*p) index over the sorted values) plus an HDR histogram
 * of the same values. `sortedNs` must be sorted ascending and finite.
 */
export function latencyStats(sortedNs: Float64Array, extraPercents: readonly number[] = []): LatencyStats | null {
  const count = sortedNs.length;
  if (count === 0) return null;
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sortedNs[i]!;
  const percentilesNs: Record<string, number> = {};
  for (const percent of [...REPORTED_PERCENTS, ...extraPercents]) {
    percentilesNs[percentKey(percent)] = percentileOfSorted(sortedNs, percent / 100);
  }
  return {
    count,
    minNs: sortedNs[0]!,
    maxNs: sortedNs[count - 1]!,
    meanNs: Math.round(sum / count),
    percentilesNs,
    hdrHistogram: encodeHistogram(buildHistogramFromSorted(sortedNs)),
  };
}

/** Sorts a copy ascending (Float64Array sort is numeric). */
export function sortedCopy(values: Float64Array): Float64Array {
  return values.slice().sort();
}
