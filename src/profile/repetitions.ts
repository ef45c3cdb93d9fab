/** The math of repeated runs. Pure. */

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The index in `values` of the value nearest `target` (the first of equals); -1 for none. */
export function nearestIndex(values: readonly number[], target: number): number {
  let best = -1;
  for (const [index, value] of values.entries()) {
    if (best < 0 || Math.abs(value - target) < Math.abs(values[best]! - target)) best = index;
  }
  return best;
}

/** One repetition as the median sees it. */
export interface MeasuredRepetition {
  readonly value: number | null;
  readonly valid: boolean;
}

/** The values a row's median is taken over, and which repetitions they came from. */
export interface CountedValues {
  readonly values: readonly number[];
  /** Index in the repetitions of each of `values`. */
  readonly from: readonly number[];
  readonly validCount: number;
}

/**
 * INVALID repetitions stay out of the median while any is VALID; when none is, the row is
 * INVALID and its median is over every measured value (as a single INVALID run still shows
 * its number).
 */
export function countedValues(repetitions: readonly MeasuredRepetition[]): CountedValues {
  const validCount = repetitions.filter((r) => r.valid).length;
  const values: number[] = [];
  const from: number[] = [];
  for (const [index, r] of repetitions.entries()) {
    if (r.value === null || (validCount > 0 && !r.valid)) continue;
    values.push(r.value);
    from.push(index);
  }
  return { values, from, validCount };
}
