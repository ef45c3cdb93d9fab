import { join, resolve } from 'node:path';
import type { Recorder } from '../loadgen/recorder.js';
import type { AccuracyResult, OutputsRecord } from '../results/types.js';
import { collectOutputRows } from '../workloads/accuracy.js';
import { type AccuracyMetricName, computeMetric, METRIC_DEFINITIONS } from './metrics.js';
import { OUTPUTS_FILE, readOutputsFile, writeOutputsFile } from './outputs-file.js';

export interface ScoreInput {
  readonly recorder: Recorder;
  readonly datasetSize: number;
  /** Ground truth by dataset index, when the dataset has labels. */
  readonly label: ((index: number) => number | null) | null;
  /** The workload's metric and target, if it names one. */
  readonly workloadMetric: { readonly metric: AccuracyMetricName; readonly target: number } | null;
  /** An earlier accuracy run's outputs.bin to compare with (`--reference-outputs`). */
  readonly referencePath: string | null;
  readonly runDir: string;
}

export interface Scored {
  readonly accuracy: AccuracyResult | null;
  readonly outputs: OutputsRecord | null;
  readonly notes: readonly string[];
}

/**
 * Scores an accuracy run: writes every sample's first output to outputs.bin (so this run can be
 * a reference later), computes the workload's metric, and compares with a reference run.
 */
export async function scoreAccuracyRun(input: ScoreInput): Promise<Scored> {
  const { rows, output } = collectOutputRows(input.recorder, input.datasetSize);
  const notes: string[] = [];
  if (rows.width === 0) return { accuracy: null, outputs: null, notes: ['accuracy mode: no sample was answered, nothing to score'] };
  const file = resolve(join(input.runDir, OUTPUTS_FILE));
  await writeOutputsFile(file, rows);
  const outputs: OutputsRecord = { file, rows: rows.rows, rowWidth: rows.width, output };
  const reference =
    input.referencePath === null
      ? null
      : await (async () => {
          const ref = await readOutputsFile(input.referencePath!, rows.rows, rows.width);
          const against = { kind: 'reference', reference: ref } as const;
          return { file: resolve(input.referencePath!), agreement: computeMetric('agreement', rows, against), meanCosine: computeMetric('cosine', rows, against) };
        })();
  const sampleCount = input.recorder.sampleCount;
  const named = input.workloadMetric;
  const canScore = (name: AccuracyMetricName): boolean =>
    METRIC_DEFINITIONS[name].needs === 'labels' ? input.label !== null : reference !== null;
  // The workload's own metric when it can be computed; else top1 on labels, else agreement with the reference.
  const metric: AccuracyMetricName | null =
    named !== null && canScore(named.metric) ? named.metric : canScore('top1') ? 'top1' : canScore('agreement') ? 'agreement' : null;
  if (metric === null) {
    notes.push(
      named !== null && METRIC_DEFINITIONS[named.metric].needs === 'reference'
        ? `accuracy mode: the workload's metric '${named.metric}' compares with a reference run: give --reference-outputs <an fp32 accuracy run's folder>`
        : 'accuracy mode: this workload has no labels, so only completion is checked (give --reference-outputs to compare with another run)',
    );
    return { accuracy: null, outputs, notes };
  }
  const value =
    metric === 'top1'
      ? computeMetric('top1', rows, { kind: 'labels', label: input.label! })
      : metric === 'agreement'
        ? reference!.agreement
        : reference!.meanCosine;
  const target = named !== null && named.metric === metric ? named.target : null;
  return {
    accuracy: { metric, value, target, passed: target === null ? null : value >= target, sampleCount, ...(reference ? { reference } : {}) },
    outputs,
    notes,
  };
}
