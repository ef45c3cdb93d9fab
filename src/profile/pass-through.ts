import type { SettingsOverrides, TestSettings } from '../loadgen/settings.js';

/**
 * `mlbench run` setting flags a profile passes to every cell, and the setting each sets (so the
 * values can be checked up front as `mlbench run` would check them).
 */
export const SETTING_FLAGS = {
  'min-duration-ms': 'minDurationMs',
  'max-duration-ms': 'maxDurationMs',
  'min-query-count': 'minQueryCount',
  'max-query-count': 'maxQueryCount',
  'latency-bound-ms': 'latencyBoundMs',
  percentile: 'latencyPercentile',
  'target-qps': 'targetQps',
  'samples-per-query': 'samplesPerQuery',
  'offline-expected-qps': 'offlineExpectedQps',
  'performance-sample-count': 'performanceSampleCount',
  'warmup-query-count': 'warmupQueryCount',
  'query-timeout-ms': 'queryTimeoutMs',
} as const satisfies Record<string, keyof TestSettings>;

/** Backend flags passed to every cell: whole numbers >= 1. */
export const BACKEND_FLAGS = {
  'batch-size': 'Offline: samples per backend call',
  concurrency: 'backend calls in flight at once',
} as const;

export type PassThroughFlag = keyof typeof SETTING_FLAGS | keyof typeof BACKEND_FLAGS;
export const PASS_THROUGH_FLAGS = [...Object.keys(SETTING_FLAGS), ...Object.keys(BACKEND_FLAGS)] as PassThroughFlag[];

/** The pass-through flags that were given, and the problems of the backend ones. */
export function passThroughFrom(given: Readonly<Record<string, unknown>>): { values: Record<string, number>; problems: string[] } {
  const values: Record<string, number> = {};
  const problems: string[] = [];
  for (const flag of PASS_THROUGH_FLAGS) {
    const value = given[flag];
    if (value === undefined) continue;
    if (typeof value !== 'number' || Number.isNaN(value)) {
      problems.push(`--${flag}: expected a number, found ${String(value)}`);
      continue;
    }
    if (flag in BACKEND_FLAGS && !(Number.isInteger(value) && value >= 1)) problems.push(`--${flag}: expected a whole number >= 1, found ${value}`);
    values[flag] = value;
  }
  return { values, problems };
}

/** The setting overrides the given flags make, for checking with resolveSettings. */
export function settingOverrides(values: Readonly<Record<string, number | string>>): SettingsOverrides {
  const overrides: Record<string, unknown> = {};
  for (const [flag, setting] of Object.entries(SETTING_FLAGS)) {
    if (values[flag] !== undefined) overrides[setting] = values[flag];
  }
  // The schema check in resolveSettings judges the values, as it does for `mlbench run`.
  return overrides as SettingsOverrides;
}
