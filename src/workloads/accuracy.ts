import type { BatchOutputs } from '../backends/types.js';
import type { Recorder } from '../loadgen/recorder.js';
import { COMPLETED } from '../loadgen/recorder.js';
import type { AccuracyResult } from '../results/types.js';

/** Accuracy-mode response of a classifier: the index of the largest logit of the first output. */
export function top1Class(outputs: BatchOutputs, row: number): number {
  const first = Object.values(outputs)[0];
  if (first === undefined) return -1;
  const width = first.dims.length > 1 ? first.dims.slice(1).reduce((a, b) => a * b, 1) : 1;
  const data = first.data as Float32Array;
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < width; c++) {
    const v = data[row * width + c]!;
    if (v > bestValue) {
      bestValue = v;
      best = c;
    }
  }
  return best;
}

/**
 * Top-1 accuracy over every answered sample; failed or missing samples count as wrong, so a
 * run that lost answers cannot look more accurate than it is.
 */
export function top1Accuracy(recorder: Recorder, label: (index: number) => number | null, target: number | null): AccuracyResult {
  let correct = 0;
  const total = recorder.sampleCount;
  for (let s = 0; s < total; s++) {
    if (recorder.sampleStatus.get(s) !== COMPLETED) continue;
    if (recorder.responses?.[s] === label(recorder.sampleDatasetIndex.get(s))) correct++;
  }
  const value = total > 0 ? correct / total : 0;
  return { metric: 'top1', value, target, passed: target === null ? null : value >= target, sampleCount: total };
}
