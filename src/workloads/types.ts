import type { AccuracyMetricName } from '../accuracy/metrics.js';
import type { SettingsOverrides } from '../loadgen/settings.js';
import type { ScenarioName } from '../loadgen/types.js';
import type { CalibrationDescription } from '../results/types.js';

/** The built-in deterministic generators: labelled samples as a function of (seed, split, index). */
export const DATASET_GENERATORS = ['shapes', 'tokens'] as const;
export type DatasetGenerator = (typeof DATASET_GENERATORS)[number];

export type DatasetSpec =
  | { readonly kind: 'generated'; readonly generator: DatasetGenerator; readonly seed: number; readonly split: 'train' | 'eval'; readonly sampleCount: number }
  | { readonly kind: 'random'; readonly seed: number; readonly sampleCount: number };

/** A model file per runtime format: ONNX for ort, a TF.js model.json for tfjs. */
export interface ModelFiles {
  readonly path: string;
  readonly tfjs?: string;
}

/** A precision variant in a workload file: a path, or the files plus how it was calibrated. */
export type PrecisionEntry = string | (ModelFiles & { readonly calibration?: CalibrationDescription });

/** workloads/<name>/workload.json, as validated by schemas/workload.schema.json. */
export interface WorkloadFile {
  readonly name: string;
  readonly description: string;
  readonly task: 'image-classification' | 'sequence-classification' | 'generic';
  /** The reference model: the fp32 variant. */
  readonly model: ModelFiles;
  readonly precisions?: Readonly<Record<string, PrecisionEntry>>;
  readonly dataset: DatasetSpec;
  readonly performanceSampleCount: number;
  readonly accuracy?: { readonly metric: AccuracyMetricName; readonly target: number };
  readonly defaults?: Partial<Record<ScenarioName, SettingsOverrides>>;
}

/** One precision variant, paths resolved. */
export interface PrecisionVariant {
  readonly onnxPath: string;
  readonly tfjsPath: string | null;
  readonly calibration: CalibrationDescription | null;
}

/** The precision a workload's `model` entry is, and the one runs use unless told otherwise. */
export const REFERENCE_PRECISION = 'fp32';

/** A workload ready to run: where it came from, its model, data and accuracy rule. */
export interface WorkloadDefinition {
  readonly name: string;
  /** The workload file, or "--model <path>" for a bare model. */
  readonly source: string;
  /** The ONNX model of the chosen precision. */
  readonly modelPath: string;
  /** The TF.js model.json of the chosen precision, when the workload has one. */
  readonly tfjsModelPath: string | null;
  /** The chosen precision; null for a bare model (its precision is whatever the file holds). */
  readonly precision: string | null;
  readonly calibration: CalibrationDescription | null;
  /** Every precision the workload offers, fp32 (the reference) included. */
  readonly variants: Readonly<Record<string, PrecisionVariant>>;
  readonly dataset: DatasetSpec;
  readonly performanceSampleCount: number;
  readonly accuracy: { readonly metric: AccuracyMetricName; readonly target: number } | null;
  readonly defaults: Partial<Record<ScenarioName, SettingsOverrides>>;
}
