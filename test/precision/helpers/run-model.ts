/** Runs model bytes in onnxruntime-node on a batch of samples, as the ort backend would. */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import type { SampleFeeds } from '../../../src/backends/types.js';
import { decodeModel } from '../../../src/precision/onnx/proto.js';

export interface ModelOutput {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

function stack(samples: readonly SampleFeeds[]): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  const firstSample = samples[0]!;
  for (const name of Object.keys(firstSample)) {
    const first = firstSample[name]!;
    const per = first.data.length;
    if (first.data instanceof Int32Array) {
      const data = new Int32Array(per * samples.length);
      samples.forEach((s, i) => {
        data.set(s[name]!.data as Int32Array, i * per);
      });
      feeds[name] = new ort.Tensor('int32', data, [samples.length, ...first.dims]);
    } else {
      const data = new Float32Array(per * samples.length);
      samples.forEach((s, i) => {
        data.set(s[name]!.data as Float32Array, i * per);
      });
      feeds[name] = new ort.Tensor('float32', data, [samples.length, ...first.dims]);
    }
  }
  return feeds;
}

/** The first output for all samples, batched in one run. */
export async function runModel(bytes: Uint8Array, samples: readonly SampleFeeds[]): Promise<ModelOutput> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const results = await session.run(stack(samples));
    const outputName = session.outputNames[0]!;
    const output = results[outputName]!;
    return { data: output.data as Float32Array, dims: output.dims };
  } finally {
    await session.release();
  }
}

/** How many nodes of each op onnxruntime runs after its graph optimizations (level 'extended'). */
export async function optimizedOpCounts(bytes: Uint8Array): Promise<Record<string, number>> {
  const directory = mkdtempSync(join(tmpdir(), 'mlbench-precision-'));
  try {
    const path = join(directory, 'optimized.onnx');
    // 'extended' rather than 'all': the layout transforms 'all' adds are CPU-specific.
    const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'extended', optimizedModelFilePath: path });
    await session.release();
    const counts: Record<string, number> = {};
    for (const n of decodeModel(readFileSync(path)).graph.node ?? []) counts[n.opType ?? ''] = (counts[n.opType ?? ''] ?? 0) + 1;
    return counts;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

export interface OutputComparison {
  /** Largest |candidate - reference| over the largest |reference|. */
  readonly maxRelativeDiff: number;
  /** Mean |candidate - reference| over the mean |reference|. */
  readonly meanRelativeDiff: number;
  /** Share of rows whose argmax matches the reference's. */
  readonly top1Agreement: number;
}

export function compareOutputs(reference: ModelOutput, candidate: ModelOutput): OutputComparison {
  const width = reference.dims[reference.dims.length - 1]!;
  const rows = reference.data.length / width;
  let maxAbsDiff = 0;
  let maxAbsReference = 0;
  let sumAbsDiff = 0;
  let sumAbsReference = 0;
  let agree = 0;
  for (let i = 0; i < reference.data.length; i++) {
    const diff = Math.abs(reference.data[i]! - candidate.data[i]!);
    const magnitude = Math.abs(reference.data[i]!);
    maxAbsDiff = Math.max(maxAbsDiff, diff);
    maxAbsReference = Math.max(maxAbsReference, magnitude);
    sumAbsDiff += diff;
    sumAbsReference += magnitude;
  }
  for (let r = 0; r < rows; r++) {
    const row = (data: Float32Array) => data.subarray(r * width, (r + 1) * width);
    if (argmax(row(reference.data)) === argmax(row(candidate.data))) agree++;
  }
  return { maxRelativeDiff: maxAbsDiff / maxAbsReference, meanRelativeDiff: sumAbsDiff / sumAbsReference, top1Agreement: agree / rows };
}
