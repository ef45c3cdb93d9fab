import type { BackendDescription, SystemDescription } from '../results/types.js';

/** Bumped on any incompatible change to sweep.json. */
export const SWEEP_SCHEMA_VERSION = '1.0.0';

export type SweepMode = 'server' | 'concurrency';
export type SweepPointKind = 'point' | 'probe' | 'confirmation';

/** One measured load level of a sweep: a row of the throughput-latency curve. */
export interface SweepPoint {
  readonly kind: SweepPointKind;
  /** Server mode: the Poisson rate offered. */
  readonly offeredQps: number | null;
  /** Concurrency mode: queries kept in flight. */
  readonly concurrency: number | null;
  /** Completed samples per second (LoadGen's definition for Server). */
  readonly completedQps: number;
  /** Completed samples per second that met the latency bound: SLO-valid throughput. */
  readonly goodputQps: number | null;
  readonly latencyNs: { readonly p50: number; readonly p90: number; readonly p99: number };
  /** Server mode only. */
  readonly issueDelayP99Ns: number | null;
  /** Failed plus missing samples. */
  readonly errors: number;
  /** The run's VALID/INVALID verdict (null for concurrency points, which have no verdict). */
  readonly valid: boolean | null;
  /** A point whose issue delay shows the load generator lagging is not trusted by the search. */
  readonly loadgenBottleneck: boolean;
  /** Did the point meet the latency bound at the percentile (what the search bisects on)? */
  readonly meetsBound: boolean | null;
  /** The point's own result folder, relative to the sweep folder; null when it has none. */
  readonly resultDir: string | null;
  readonly runId: string | null;
}

export interface SweepPeak {
  /** The highest rate found to meet the bound, and confirmed by a full-length VALID run. */
  readonly qps: number;
  readonly confirmation: { readonly runId: string; readonly valid: boolean; readonly resultDir: string };
  /** The search stopped when the bracket [qps, failingQps] was this narrow (percent of qps). */
  readonly precisionPercent: number;
  /** The lowest rate that failed, when one did. */
  readonly failingQps: number | null;
}

/** sweep.json, validated against schemas/sweep.schema.json. */
export interface SweepResult {
  readonly schemaVersion: string;
  readonly tool: { readonly name: 'mlbench'; readonly version: string };
  readonly sweepId: string;
  readonly startedAt: string;
  readonly mode: SweepMode;
  readonly method: 'list' | 'find-peak';
  readonly workload: { readonly name: string; readonly source: string };
  readonly backend: BackendDescription;
  readonly system: SystemDescription;
  readonly latencyBoundMs: number | null;
  readonly percentile: number;
  readonly points: readonly SweepPoint[];
  /** find-peak only; null when no rate met the bound or the confirmation failed (see notes). */
  readonly peak: SweepPeak | null;
  readonly notes: readonly string[];
}
