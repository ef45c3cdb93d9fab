import type { ScenarioSummary, ValidityCheck } from '../results/types.js';
import type { SweepPoint, SweepPointKind } from './types.js';

/** The part of a run's summary a sweep point is made of (result.json's, or runTest's). */
export type PointSummary = Pick<
  ScenarioSummary,
  'completedSamplesPerSecond' | 'goodputSamplesPerSecond' | 'sampleLatency' | 'issueDelay' | 'samplesFailed' | 'samplesMissing' | 'loadgenBottleneck'
>;

export interface PointSource {
  readonly kind: SweepPointKind;
  readonly offeredQps: number;
  readonly summary: PointSummary;
  readonly checks: readonly ValidityCheck[];
  /** The run's verdict: every check passed and the run completed. */
  readonly valid: boolean;
  readonly runId: string | null;
  readonly resultDir: string | null;
}

/**
 * One Server run as a row of the curve. It meets the bound when the latency-constraint check
 * passed (the target percentile, failures counted as over) and the load generator kept up:
 * a run it limited says nothing about the system.
 */
export function serverPoint(source: PointSource): SweepPoint {
  const { summary } = source;
  const constraint = source.checks.find((c) => c.name === 'latencyConstraint');
  const p = summary.sampleLatency?.percentilesNs ?? {};
  return {
    kind: source.kind,
    offeredQps: source.offeredQps,
    concurrency: null,
    completedQps: summary.completedSamplesPerSecond ?? 0,
    goodputQps: summary.goodputSamplesPerSecond,
    latencyNs: { p50: p['50'] ?? 0, p90: p['90'] ?? 0, p99: p['99'] ?? 0 },
    issueDelayP99Ns: summary.issueDelay?.percentilesNs['99'] ?? null,
    errors: summary.samplesFailed + summary.samplesMissing,
    valid: source.valid,
    loadgenBottleneck: summary.loadgenBottleneck,
    meetsBound: constraint === undefined ? null : constraint.passed && !summary.loadgenBottleneck,
    resultDir: source.resultDir,
    runId: source.runId,
  };
}
