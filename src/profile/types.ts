import type { GraphOptimizationLevel, OrtProvider } from '../backends/ort-backend.js';
import type { ScenarioName } from '../loadgen/types.js';
import type { CalibrationDescription, SystemDescription } from '../results/types.js';
import type { TfjsRuntimeChoice } from '../tfjs/runtimes.js';

/** Bumped on any incompatible change to profile.json. */
export const PROFILE_SCHEMA_VERSION = '1.2.0';

/** The runtimes a profile compares; each cell is one `mlbench run --backend <name>` child. */
export const PROFILE_BACKENDS = ['ort', 'tfjs'] as const;
export type ProfileBackend = (typeof PROFILE_BACKENDS)[number];

/** The precisions tried when --precisions is not given; fp32 is the reference the others are held to. */
export const STANDARD_PRECISIONS = ['fp32', 'fp16', 'int8-dynamic', 'int8-static'] as const;

export const EXECUTION_MODES = ['sequential', 'parallel'] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];


/** One runtime configuration of one backend: the settings that multiply the matrix. */
export type RuntimeVariant =
  | {
      readonly backend: 'ort';
      readonly provider: OrtProvider;
      /** --intra-op-threads; 0 = onnxruntime's default. */
      readonly threads: number;
      readonly graphOptimization: GraphOptimizationLevel;
      readonly executionMode: ExecutionMode;
    }
  | {
      readonly backend: 'tfjs';
      readonly tfjsBackend: TfjsRuntimeChoice;
      /** --tfjs-threads; 0 = the runtime's default. */
      readonly threads: number;
    };

/** The flags as resolved: what the profile runs. Stored in profile.json as `plan`. */
export interface ProfilePlan {
  readonly workload: {
    readonly name: string;
    readonly source: string;
    /** The workload's accuracy metric (e.g. top1), or null when it names none (then: agreement with fp32). */
    readonly accuracyMetric: string | null;
  };
  /** fp32 first: it is the reference every other precision of the same runtime variant is held to. */
  readonly precisions: readonly string[];
  readonly backends: readonly ProfileBackend[];
  readonly variants: readonly RuntimeVariant[];
  readonly scenarios: readonly ScenarioName[];
  readonly profile: string;
  /** The scenario whose metric orders the table. */
  readonly sortBy: ScenarioName;
  /** `mlbench run` setting flags passed to every cell, e.g. { 'min-duration-ms': 500 }. */
  readonly passThrough: Readonly<Record<string, number | string>>;
  /** How many times each (cell, scenario) performance run is repeated, interleaved across cells (schema 1.2). */
  readonly repetitions: number;
}

/** The accuracy of one cell against the fp32 cell of the same runtime variant. */
export interface RowAccuracy {
  /** 'top1' (labelled workloads) or 'agreement' (top-1 agreement with fp32's outputs), as the child scored it. */
  readonly metric: string;
  readonly value: number;
  /** The fp32 cell's value of the same metric (1 for agreement); null when the fp32 cell has none. */
  readonly reference: number | null;
  /** value - reference. */
  readonly delta: number | null;
  /** value / reference. */
  readonly ratio: number | null;
  /** Fraction of samples whose argmax equals the fp32 cell's (1 for the fp32 cell itself). */
  readonly agreement: number | null;
  /** Mean cosine similarity of the output vectors with the fp32 cell's (1 for the fp32 cell itself). */
  readonly meanCosine: number | null;
  /** value >= 0.99 × reference (MLPerf's 99% target). */
  readonly pass99: boolean | null;
  /** value >= 0.999 × reference (MLPerf's 99.9% target). */
  readonly pass999: boolean | null;
}

export type RowStatus = 'ok' | 'unsupported' | 'failed';

/** One (runtime variant, precision, scenario) cell of the matrix. */
export interface ProfileRow {
  readonly backend: ProfileBackend;
  /** The variant's settings in words, e.g. "cpu, 2 threads, graph all, sequential". */
  readonly variant: string;
  /** The runtime settings asked for, as `mlbench run` flags. */
  readonly settings: Readonly<Record<string, string | number>>;
  readonly precision: string;
  readonly scenario: ScenarioName;
  readonly status: RowStatus;
  /** Why the cell is unsupported or failed; null when ok. */
  readonly reason: string | null;
  readonly metric: { readonly name: string; readonly value: number | null; readonly unit: string } | null;
  /** The performance run's VALID/INVALID verdict. */
  readonly valid: boolean | null;
  readonly accuracy: RowAccuracy | null;
  /** Why the accuracy pass has no numbers when the performance run has some. */
  readonly accuracyNote: string | null;
  readonly modelSizeBytes: number | null;
  readonly peakRssBytes: number | null;
  readonly coldStartMs: number | null;
  /** The runtime that actually ran: the ort execution provider, or tfjs's runtime (e.g. wasm). */
  readonly runtime: string | null;
  /** The performance run's folder and the accuracy pass's, relative to the profile folder. */
  readonly resultDir: string | null;
  readonly accuracyResultDir: string | null;
  readonly calibration: CalibrationDescription | null;
  /**
   * With --repetitions above 1 (schema 1.2): every repetition of the performance run. `metric`
   * is then their median, and the run facts (`resultDir`, memory, cold start) are the
   * repetition's nearest the median.
   */
  readonly repetitions?: RowRepetitions;
}

/** One repetition of a row's performance run. */
export interface RepetitionRun {
  readonly status: RowStatus;
  readonly value: number | null;
  /** Its VALID/INVALID verdict; null when it failed. */
  readonly valid: boolean | null;
  /** Its run folder, relative to the profile folder; null when it failed before writing one. */
  readonly resultDir: string | null;
  /** Why it failed or was unsupported; null when it completed. */
  readonly reason: string | null;
}

/** A row's repetitions and the spread of the values its median is taken over. */
export interface RowRepetitions {
  /** Repetitions asked for (--repetitions). */
  readonly count: number;
  /** VALID repetitions: the ones the median is taken over. */
  readonly valid: number;
  /**
   * The values the median is taken over, in run order: the VALID repetitions', or, when none
   * is VALID, every measured one's (the row is then INVALID, as a single INVALID run is).
   */
  readonly values: readonly number[];
  /** The range of `values`; null when there are none. */
  readonly min: number | null;
  readonly max: number | null;
  /** Every repetition that ran, in run order (fewer than `count` when the profile was interrupted). */
  readonly runs: readonly RepetitionRun[];
}

export type ProfileStatus = 'running' | 'completed' | 'aborted';

/** profile.json, validated against schemas/profile.schema.json. */
export interface ProfileResult {
  readonly schemaVersion: string;
  readonly kind: 'profile';
  readonly tool: { readonly name: 'mlbench'; readonly version: string };
  readonly profileId: string;
  readonly startedAt: string;
  readonly status: ProfileStatus;
  readonly plan: ProfilePlan;
  readonly system: SystemDescription;
  readonly rows: readonly ProfileRow[];
  /** Per scenario: the best row that is VALID and passes 99% of fp32, or null. */
  readonly best: Readonly<Partial<Record<ScenarioName, ProfileBestRef | null>>>;
}

/** A row of `rows`, by index, with what makes it best. */
export interface ProfileBestRef {
  readonly row: number;
  readonly backend: ProfileBackend;
  readonly variant: string;
  readonly precision: string;
  readonly metric: { readonly name: string; readonly value: number; readonly unit: string };
  /**
   * Other qualifying rows of the scenario within run-to-run noise of this one (schema 1.1):
   * closer than 2x for single runs; with repetitions (1.2), ranges that overlap this row's.
   * When not empty there is no clear winner, and the profile says so instead of naming one.
   */
  readonly tiedWith: readonly number[];
}
