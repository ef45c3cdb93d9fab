import type { SampleFeeds, TensorData } from '../backends/types.js';
import { datatypeOfOrtType, elementCount } from './datatypes.js';
import { ProtocolError } from './protocol-error.js';
import type { RowsTensor, WireTensor } from './types.js';

/** What the batching helpers need to know about one model input. */
export interface BatchInput {
  readonly name: string;
  /** onnxruntime element type, e.g. 'float32'. */
  readonly type: string;
}

/**
 * Samples (one tensor per input, no batch dimension) as request tensors. With `batched` the
 * rows are stacked under a leading batch dimension; without it the model takes exactly one
 * sample and its tensors go as they are.
 */
export function samplesToWire(samples: readonly SampleFeeds[], inputs: readonly BatchInput[], batched: boolean): WireTensor[] {
  return samplesToRows(samples, inputs, batched).map(({ name, datatype, shape, rows }) => ({
    name,
    datatype,
    shape,
    data: rows.length === 1 ? rows[0]! : concatData(rows),
  }));
}

/** As samplesToWire, with each input's rows left unstacked: for an encoder that writes them straight into the body. */
export function samplesToRows(samples: readonly SampleFeeds[], inputs: readonly BatchInput[], batched: boolean): RowsTensor[] {
  return inputs.map((input) => {
    const datatype = datatypeOfOrtType(input.type);
    if (datatype === null) throw new ProtocolError(`input '${input.name}': type ${input.type} has no v2 protocol datatype`);
    const first = samples[0]![input.name]!;
    if (!batched) return { name: input.name, datatype, shape: [...first.dims], rows: [first.data] };
    return { name: input.name, datatype, shape: [samples.length, ...first.dims], rows: samples.map((s) => s[input.name]!.data) };
  });
}

/** Concatenates same-typed tensors row-wise (the batch dimension first). */
function concatData(parts: readonly TensorData[]): TensorData {
  const first = parts[0]!;
  const total = parts.reduce((n, p) => n + p.length, 0);
  const Ctor = first.constructor as new (n: number) => TensorData;
  const out = new Ctor(total);
  let at = 0;
  for (const part of parts) {
    (out as Float32Array).set(part as Float32Array, at);
    at += part.length;
  }
  return out;
}

/** Rows [start, start+count) of a tensor whose first dimension is the batch. */
export function sliceRows(tensor: WireTensor, start: number, count: number): WireTensor {
  const rows = tensor.shape[0] ?? 1;
  const perRow = rows === 0 ? 0 : elementCount(tensor.shape) / rows;
  return {
    name: tensor.name,
    datatype: tensor.datatype,
    shape: [count, ...tensor.shape.slice(1)],
    data: tensor.data.subarray(start * perRow, (start + count) * perRow) as TensorData,
  };
}
