import type { TopLevelSpec } from 'vega-lite';
import type { RunResult } from '../results/types.js';
import type { SweepResult } from '../sweep/types.js';

/** One record of detail.jsonl, as far as the report reads it; other types pass through. */
export type DetailRecord =
  | { readonly type: 'phase'; readonly phase: string; readonly originNs: number }
  | {
      readonly type: 'queries';
      readonly phase: string;
      readonly firstQuery: number;
      readonly scheduledNs: readonly (number | null)[];
      readonly issuedNs: readonly (number | null)[];
    }
  | {
      readonly type: 'samples';
      readonly phase: string;
      readonly firstSample: number;
      readonly completedNs: readonly (number | null)[];
      readonly status: readonly number[];
    }
  | { readonly type: 'other' };

/** A result.json, with its run folder's detail.jsonl when there is one. */
export interface LoadedRun {
  readonly kind: 'run';
  readonly path: string;
  readonly result: RunResult;
  /** null when the folder has no detail.jsonl (the timeline is then skipped). */
  readonly detail: readonly DetailRecord[] | null;
}

export interface LoadedSweep {
  readonly kind: 'sweep';
  readonly path: string;
  readonly sweep: SweepResult;
}

export interface ReportInputs {
  readonly runs: readonly LoadedRun[];
  readonly sweeps: readonly LoadedSweep[];
}

/** One chart of the report: the spec is kept beside its pictures so users can restyle it. */
export interface Chart {
  /** File stem: `<id>.vl.json`, `<id>.svg`, `<id>.png`. */
  readonly id: string;
  readonly title: string;
  /** What ran on what: workload, model, backend+provider, CPU/GPU, scenario, settings. */
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

/** Everything the report shows: the charts, and what it could not draw and why. */
export interface ReportPlan {
  readonly charts: readonly Chart[];
  /** Measures no input carries, listed as "not measured by any input". */
  readonly notMeasured: readonly string[];
  /** Charts skipped for a reason, e.g. a run folder without detail.jsonl. */
  readonly notes: readonly string[];
}
