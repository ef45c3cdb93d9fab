/**
 * Min/max calibration: runs the fp32 model in onnxruntime-node with the tensors to calibrate
 * added as graph outputs, over the calibration samples, and keeps each tensor's min and max.
 */

import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';
import type { SampleFeeds, TensorData } from '../backends/types.js';
import { UserError } from '../cli/errors.js';
import { ElemType, encodeModel, type GraphProto, type ModelProto } from './onnx/proto.js';
import type { ValueRange } from './quant-math.js';

/** Samples per session.run: large enough to amortize the call, small enough to bound memory. */
const CALIBRATION_BATCH = 32;

const require = createRequire(import.meta.url);

/** The model with `tensors` added to its outputs, so one run returns them all. */
function probeModel(model: ModelProto, graph: GraphProto, tensors: readonly string[]): Uint8Array {
  const declared = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  const extra = tensors.filter((name) => !declared.has(name)).map((name) => ({ name, type: { tensorType: { elemType: ElemType.FLOAT } } }));
  return encodeModel({ ...model, graph: { ...graph, output: [...(graph.output ?? []), ...extra] } });
}

/** One model input for a batch of samples: the samples' data end to end, batch dimension first. */
function stackInput(ort: typeof Ort, metadata: Ort.InferenceSession.ValueMetadata, samples: readonly SampleFeeds[], firstIndex: number): Ort.Tensor {
  const tensors = samples.map((sample, i) => {
    const tensor = sample[metadata.name];
    if (!tensor) throw new UserError('model', `calibration sample ${firstIndex + i} has no tensor for the model input ${metadata.name}`);
    return tensor;
  });
  const first = tensors[0]!;
  const per = first.data.length;
  const Data = first.data.constructor as new (length: number) => TensorData;
  const data = new Data(per * tensors.length);
  tensors.forEach((tensor, i) => {
    if (tensor.data.length !== per) {
      throw new UserError('model', `calibration sample ${firstIndex + i}: input ${metadata.name} has ${tensor.data.length} values, sample ${firstIndex} has ${per}`);
    }
    (data as Float32Array).set(tensor.data as Float32Array, i * per);
  });
  const type = metadata.isTensor ? metadata.type : 'float32';
  return new ort.Tensor(type as 'float32', data as Float32Array, [tensors.length, ...first.dims]);
}

/** A fixed first dimension (e.g. a model exported with batch 1) sets the batch size; null when it varies. */
function fixedBatchSize(session: Ort.InferenceSession): number | null {
  for (const input of session.inputMetadata) {
    const first = input.isTensor ? input.shape[0] : undefined;
    if (typeof first === 'number' && first > 0) return first;
  }
  return null;
}

export async function calibrateRanges(
  model: ModelProto,
  graph: GraphProto,
  tensors: readonly string[],
  feeds: readonly SampleFeeds[],
): Promise<Map<string, ValueRange>> {
  if (feeds.length === 0) throw new UserError('config', 'int8-static calibration needs at least one sample');
  const ort = require('onnxruntime-node') as typeof Ort;
  // One thread, no graph rewrites: the fp32 graph exactly as written, computed the same way each time.
  const session = await ort.InferenceSession.create(probeModel(model, graph, tensors), {
    graphOptimizationLevel: 'disabled',
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  const min = new Float64Array(tensors.length).fill(Number.POSITIVE_INFINITY);
  const max = new Float64Array(tensors.length).fill(Number.NEGATIVE_INFINITY);
  try {
    const fixed = fixedBatchSize(session);
    if (fixed !== null && feeds.length % fixed !== 0) {
      throw new UserError('model', `the model takes batches of exactly ${fixed}; give a multiple of ${fixed} calibration samples`);
    }
    const size = fixed ?? CALIBRATION_BATCH;
    for (let start = 0; start < feeds.length; start += size) {
      const batch = feeds.slice(start, start + size);
      const inputs = Object.fromEntries(session.inputMetadata.map((m) => [m.name, stackInput(ort, m, batch, start)]));
      const results = await session.run(inputs, [...tensors]);
      tensors.forEach((name, t) => {
        const data = results[name]!.data as Float32Array;
        for (let i = 0; i < data.length; i++) {
          const value = data[i]!;
          if (value < min[t]!) min[t] = value;
          if (value > max[t]!) max[t] = value;
        }
      });
    }
  } finally {
    await session.release();
  }
  const ranges = new Map<string, ValueRange>();
  tensors.forEach((name, t) => {
    if (!Number.isFinite(min[t]!) || !Number.isFinite(max[t]!)) {
      throw new UserError('model', `calibration: tensor ${name} took non-finite values (or none); int8-static cannot quantize it`);
    }
    ranges.set(name, { min: min[t]!, max: max[t]! });
  });
  return ranges;
}
