import type { TestSettings } from '../loadgen/settings.js';
import type { SweepPointKind } from './types.js';

/** Probes are short: they only ask whether the percentile meets the bound, not for a verdict. */
const PROBE_MIN_QUERY_COUNT = 1;
/** Room past the probe length for the last arrivals to be issued before the hard stop. */
const PROBE_MAX_DURATION_SHARE = 1.2;

/**
 * The settings of one sweep run at `qps`. A probe lasts `probeDurationMs` whatever early
 * stopping would want (its max duration caps the plan); list points and confirmations use the
 * scenario's full settings, so their VALID/INVALID verdict means what `mlbench run`'s does.
 */
export function sweepRunSettings(base: TestSettings, kind: SweepPointKind, qps: number, probeDurationMs: number): TestSettings {
  if (kind !== 'probe') return { ...base, targetQps: qps };
  return {
    ...base,
    targetQps: qps,
    minDurationMs: probeDurationMs,
    maxDurationMs: Math.ceil(probeDurationMs * PROBE_MAX_DURATION_SHARE),
    minQueryCount: PROBE_MIN_QUERY_COUNT,
    maxQueryCount: 0,
  };
}
