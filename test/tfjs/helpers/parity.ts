/** Runs one model on onnxruntime-node and, converted, on a TF.js runtime, for the parity tests. */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrtBackend } from '../../../src/backends/ort-backend.js';
import type { BatchOutputs, SampleFeeds } from '../../../src/backends/types.js';
import { convertOnnxToTfjs, TFJS_MODEL_FILE, writeTfjsModel } from '../../../src/tfjs/onnx-to-tfjs.js';

/** ONNX bytes on disk, converted beside them; `cleanup` removes both. */
export async function modelFiles(onnxBytes: Uint8Array): Promise<{ onnxPath: string; tfjsPath: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mlbench-tfjs-'));
  const onnxPath = join(dir, 'model.onnx');
  await writeFile(onnxPath, onnxBytes);
  await writeTfjsModel(join(dir, 'tfjs'), convertOnnxToTfjs(onnxBytes));
  return { onnxPath, tfjsPath: join(dir, 'tfjs', TFJS_MODEL_FILE), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function ortOutputs(onnxPath: string, samples: readonly SampleFeeds[]): Promise<BatchOutputs> {
  const ort = await OrtBackend.create({ modelPath: onnxPath, provider: 'cpu', intraOpThreads: 1, interOpThreads: 1, graphOptimization: 'all', executionMode: 'sequential', spinning: true });
  try {
    return await ort.infer(samples);
  } finally {
    await ort.dispose();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
