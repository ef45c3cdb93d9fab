import type { ProfileRow, RowAccuracy } from './types.js';

/** Display forms shared by the progress lines and the table. Pure. */

export function formatMetric(metric: ProfileRow['metric']): string {
  if (metric === null) return '-';
  if (metric.value === null) return `- ${metric.unit}`;
  const digits = metric.unit === 'ms' ? 3 : 1;
  return `${metric.value.toFixed(digits)} ${metric.unit}`;
}

/** A row's metric: with repetitions `median (min-max) unit`, e.g. "1500.0 (1400.0-1600.0) samples/s". */
export function formatRowMetric(row: Pick<ProfileRow, 'metric' | 'repetitions'>): string {
  const { metric, repetitions } = row;
  if (metric === null || metric.value === null || repetitions === undefined || repetitions.min === null || repetitions.max === null) return formatMetric(metric);
  const digits = metric.unit === 'ms' ? 3 : 1;
  return `${metric.value.toFixed(digits)} (${repetitions.min.toFixed(digits)}-${repetitions.max.toFixed(digits)}) ${metric.unit}`;
}

/** VALID / INVALID, with repetitions how many were VALID: "VALID 2/3". */
export function formatVerdict(row: Pick<ProfileRow, 'valid' | 'repetitions'>): string {
  if (row.valid === null) return '-';
  const verdict = row.valid ? 'VALID' : 'INVALID';
  return row.repetitions === undefined ? verdict : `${verdict} ${row.repetitions.valid}/${row.repetitions.count}`;
}

/** 0.98046875 -> "98.05%". */
export const percent = (fraction: number | null): string => (fraction === null ? '-' : `${(fraction * 100).toFixed(2)}%`);

/** A difference of fractions in percentage points, always signed: "-0.10 pp", "+0.00 pp". */
export function percentPoints(delta: number | null): string {
  if (delta === null) return '-';
  const points = delta * 100;
  const text = Math.abs(points).toFixed(2);
  return `${points < 0 && text !== '0.00' ? '-' : '+'}${text} pp`;
}

export function formatAccuracy(accuracy: RowAccuracy | null): string {
  return accuracy === null ? '-' : `${accuracy.metric} ${percent(accuracy.value)}`;
}

export const verdictMark = (pass: boolean | null): string => (pass === null ? '-' : pass ? 'pass' : 'FAIL');

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '-';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export const formatMs = (ms: number | null): string => (ms === null ? '-' : `${ms.toFixed(1)} ms`);

/** A reason on one line (yargs and settings messages span lines); profile.json keeps the original. */
export const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();
