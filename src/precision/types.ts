import type { SampleFeeds } from '../backends/types.js';

export const PRECISIONS = ['fp32', 'fp16', 'int8-dynamic', 'int8-static'] as const;
export type Precision = (typeof PRECISIONS)[number];
/** The variants built from the fp32 model. */
export type DerivedPrecision = Exclude<Precision, 'fp32'>;

/** How int8-static was calibrated; recorded in every result that uses the variant. */
export interface CalibrationRecord {
  /** 'minmax': each activation's range is the min and max it took over the calibration samples. */
  readonly method: 'minmax';
  readonly sampleCount: number;
  /** Which samples, as the caller described them, e.g. "shapes seed 7, split train, indices 0-255". */
  readonly samples: string;
  readonly activations: string;
  readonly weights: string;
}

/** The samples int8-static calibrates on, one feed per sample (no batch dimension). */
export interface CalibrationInput {
  readonly feeds: readonly SampleFeeds[];
  readonly description: string;
}

export interface VariantBuild {
  readonly precision: DerivedPrecision;
  /** The ONNX file. */
  readonly bytes: Uint8Array;
  /** What the transform did and did not do, e.g. "float32 (not quantized): Add, Gather". */
  readonly notes: readonly string[];
  /** int8-static only. */
  readonly calibration: CalibrationRecord | null;
}
