import { emptyOutputRows, type OutputRows, setRow } from '../accuracy/output-rows.js';
import type { BatchOutputs } from '../backends/types.js';
import type { Recorder } from '../loadgen/recorder.js';
import { COMPLETED } from '../loadgen/recorder.js';

/** What accuracy mode keeps of a response: the first output's row, as float32, and its name. */
export interface OutputRow {
  readonly output: string;
  readonly values: Float32Array;
}

/** Accuracy-mode post-processing: copies one row of the first output (the batch is reused). */
export function firstOutputRow(outputs: BatchOutputs, row: number): OutputRow {
  const [name, first] = Object.entries(outputs)[0] ?? [];
  if (name === undefined || first === undefined) return { output: '', values: new Float32Array(0) };
  const width = first.dims.length > 1 ? first.dims.slice(1).reduce((a, b) => a * b, 1) : 1;
  const values = new Float32Array(width);
  const data = first.data;
  for (let c = 0; c < width; c++) values[c] = Number(data[row * width + c]!);
  return { output: name, values };
}

/**
 * The answered rows of an accuracy run in dataset order (accuracy mode issues every dataset
 * sample exactly once). Failed and missing samples stay NaN rows, and so count as wrong.
 */
export function collectOutputRows(recorder: Recorder, datasetSize: number): { rows: OutputRows; output: string } {
  let width = 0;
  let output = '';
  const responses = recorder.responses ?? [];
  for (const response of responses) {
    if (response === undefined) continue;
    width = (response as OutputRow).values.length;
    output = (response as OutputRow).output;
    break;
  }
  const rows = emptyOutputRows(datasetSize, width);
  for (let s = 0; s < recorder.sampleCount; s++) {
    if (recorder.sampleStatus.get(s) !== COMPLETED) continue;
    const response = responses[s] as OutputRow | undefined;
    if (response !== undefined) setRow(rows, recorder.sampleDatasetIndex.get(s), response.values);
  }
  return { rows, output };
}
