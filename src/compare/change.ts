/**
 * Percent change of `value` against `baseline`: (value / baseline − 1) × 100, computed as
 * (value − baseline) × 100 / baseline so that round inputs give round percents (380 vs 400 is
 * exactly −5, not −5.000000000000004) and a gate at −5% does not trip on its own boundary.
 * null when either side is missing or the baseline is 0 (no ratio exists).
 */
export function changePercent(value: number | null, baseline: number | null): number | null {
  if (value === null || baseline === null || baseline === 0) return null;
  return ((value - baseline) * 100) / baseline;
}

/** "+4.2%", "-3.1%", "0.0%": always a sign when the change is not zero, so direction is visible. */
export function formatChange(percent: number | null): string {
  if (percent === null) return 'n/a';
  const text = Math.abs(percent).toFixed(1);
  if (percent === 0) return `${text}%`;
  return `${percent > 0 ? '+' : '-'}${text}%`;
}
