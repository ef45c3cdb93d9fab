import { ACCURACY_METRICS, type AccuracyMetricName, METRIC_DEFINITIONS } from '../accuracy/metrics.js';
import type { RowAccuracy } from './types.js';

/** MLPerf's accuracy targets: a lower precision must keep this share of the fp32 reference. */
export const TARGET_SHARES = { pass99: 0.99, pass999: 0.999 } as const;

/** What one accuracy pass scored, as its result.json reports it. */
export interface AccuracyPass {
  /** The metric the run scored, or null when it could score none (no labels and no reference). */
  readonly metric: string | null;
  readonly value: number | null;
  /** Against the reference outputs (`--reference-outputs`), when given. */
  readonly agreement: number | null;
  readonly meanCosine: number | null;
}

/** Agreement and cosine compare with the fp32 outputs: fp32 scores 1 on them by definition. */
export function comparesWithReference(metric: string): boolean {
  return (ACCURACY_METRICS as readonly string[]).includes(metric) && METRIC_DEFINITIONS[metric as AccuracyMetricName].needs === 'reference';
}

/** delta, ratio and the 99% / 99.9% verdicts of `value` against `reference` (null when there is none). */
export function againstReference(value: number, reference: number | null): Pick<RowAccuracy, 'reference' | 'delta' | 'ratio' | 'pass99' | 'pass999'> {
  if (reference === null) return { reference: null, delta: null, ratio: null, pass99: null, pass999: null };
  return {
    reference,
    delta: value - reference,
    ratio: reference === 0 ? null : value / reference,
    pass99: value >= TARGET_SHARES.pass99 * reference,
    pass999: value >= TARGET_SHARES.pass999 * reference,
  };
}

/**
 * The fp32 cell: the reference itself. A workload without labels scores nothing on its fp32 pass
 * (there is nothing to compare with yet); its accuracy is its agreement with itself, 1.
 */
export function referenceAccuracy(pass: AccuracyPass, workloadMetric: string | null): RowAccuracy {
  const scored = pass.metric !== null && pass.value !== null;
  const metric = scored ? pass.metric! : workloadMetric !== null && comparesWithReference(workloadMetric) ? workloadMetric : 'agreement';
  const value = scored ? pass.value! : 1;
  return { metric, value, ...againstReference(value, value), agreement: 1, meanCosine: 1 };
}

/**
 * Another precision, against the fp32 cell of the same runtime variant (null when that cell has
 * no accuracy). A labelled metric is held to fp32's value; agreement and cosine to 1.
 */
export function candidateAccuracy(pass: AccuracyPass, fp32: RowAccuracy | null): RowAccuracy | null {
  if (pass.metric === null || pass.value === null) return null;
  const reference = comparesWithReference(pass.metric) ? (fp32 === null ? null : 1) : fp32?.metric === pass.metric ? fp32.value : null;
  return { metric: pass.metric, value: pass.value, ...againstReference(pass.value, reference), agreement: pass.agreement, meanCosine: pass.meanCosine };
}
