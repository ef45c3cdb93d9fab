import { argmax, type OutputRows, rowView } from './output-rows.js';

/**
 * The accuracy metrics workloads may name. A missing answer always counts against the run
 * (wrong, disagreeing, cosine 0), so a run that lost answers cannot look more accurate.
 */
export const ACCURACY_METRICS = ['top1', 'agreement', 'cosine'] as const;
export type AccuracyMetricName = (typeof ACCURACY_METRICS)[number];

/** What a metric is computed against: dataset labels, or a reference run's outputs. */
export type MetricInput =
  | { readonly kind: 'labels'; readonly label: (row: number) => number | null }
  | { readonly kind: 'reference'; readonly reference: OutputRows };

interface MetricDefinition {
  readonly needs: MetricInput['kind'];
  readonly describe: string;
  readonly compute: (outputs: OutputRows, against: MetricInput) => number;
}

export const METRIC_DEFINITIONS = {
  top1: {
    needs: 'labels',
    describe: 'fraction of samples whose largest output is the labelled class',
    compute: (outputs, against) => {
      if (against.kind !== 'labels') throw new Error('top1 needs labels');
      return meanOver(outputs.rows, (r) => (outputs.present[r] === 1 && argmax(rowView(outputs, r)) === against.label(r) ? 1 : 0));
    },
  },
  agreement: {
    needs: 'reference',
    describe: "fraction of samples whose largest output is at the same index as the reference run's",
    compute: (outputs, against) => {
      const reference = referenceOf(outputs, against);
      return meanOver(outputs.rows, (r) =>
        outputs.present[r] === 1 && reference.present[r] === 1 && argmax(rowView(outputs, r)) === argmax(rowView(reference, r)) ? 1 : 0,
      );
    },
  },
  cosine: {
    needs: 'reference',
    describe: "mean cosine similarity of each sample's output vector with the reference run's",
    compute: (outputs, against) => {
      const reference = referenceOf(outputs, against);
      return meanOver(outputs.rows, (r) =>
        outputs.present[r] === 1 && reference.present[r] === 1 ? cosine(rowView(outputs, r), rowView(reference, r)) : 0,
      );
    },
  },
} as const satisfies Record<AccuracyMetricName, MetricDefinition>;

export function computeMetric(name: AccuracyMetricName, outputs: OutputRows, against: MetricInput): number {
  return METRIC_DEFINITIONS[name].compute(outputs, against);
}

/** Cosine similarity; two zero vectors are identical (1), one zero vector shares nothing (0). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 && normB === 0) return 1;
  if (normA === 0 || normB === 0) return 0;
  return dot / Math.sqrt(normA * normB);
}

function referenceOf(outputs: OutputRows, against: MetricInput): OutputRows {
  if (against.kind !== 'reference') throw new Error('this metric needs a reference run');
  const reference = against.reference;
  if (reference.rows !== outputs.rows || reference.width !== outputs.width) {
    throw new Error(`reference has ${reference.rows}x${reference.width} outputs, this run ${outputs.rows}x${outputs.width}`);
  }
  return reference;
}

function meanOver(rows: number, score: (row: number) => number): number {
  if (rows === 0) return 0;
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += score(r);
  return sum / rows;
}
