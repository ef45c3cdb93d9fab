import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TfjsBackend } from '../../src/backends/tfjs-backend.js';
import type { BatchOutputs, SampleFeeds } from '../../src/backends/types.js';
import { convertOnnxToTfjs, TFJS_MODEL_FILE, TFJS_WEIGHTS_FILE } from '../../src/tfjs/onnx-to-tfjs.js';
import { BUILTIN_WORKLOADS_DIR } from '../../src/workloads/paths.js';
import { makeTokensSample, TOKENS_SEQUENCE_LENGTH } from '../../src/workloads/tokens/dataset.js';
import { maxAbsDiff, ortOutputs } from './helpers/parity.js';

/** Measured 1.8e-6 (wasm) and 4.8e-6 (cpu): float32 summation order in attention and layer norm. */
const MAX_ABS_LOGIT_DIFF = 1e-4;
const CLASSES = 4;
const MODEL_DIR = join(BUILTIN_WORKLOADS_DIR, 'tokens-transformer');

const samples: SampleFeeds[] = Array.from({ length: 8 }, (_, i) => ({
  tokens: { data: makeTokensSample(11, 'eval', i).ids, dims: [TOKENS_SEQUENCE_LENGTH] },
}));

it('the committed workloads/tokens-transformer/tfjs is what the converter makes of the committed model.onnx', () => {
  const converted = convertOnnxToTfjs(new Uint8Array(readFileSync(join(MODEL_DIR, 'model.onnx'))));
  expect(readFileSync(join(MODEL_DIR, 'tfjs', TFJS_MODEL_FILE), 'utf8')).toBe(converted.modelJson);
  expect(readFileSync(join(MODEL_DIR, 'tfjs', TFJS_WEIGHTS_FILE)).equals(Buffer.from(converted.weightsBin))).toBe(true);
});

describe.each(['wasm', 'cpu'] as const)('tokens-transformer in TF.js on the %s runtime agrees with onnxruntime-node', (runtime) => {
  let backend: TfjsBackend;
  let reference: BatchOutputs;
  beforeAll(async () => {
    reference = await ortOutputs(join(MODEL_DIR, 'model.onnx'), samples);
    backend = await TfjsBackend.create({ modelPath: join(MODEL_DIR, 'tfjs', 'model.json'), runtime, threads: 0 });
  });
  afterAll(() => backend.dispose());

  it('takes int32 token ids with a dynamic batch', () => {
    expect(backend.inputs).toEqual([{ name: 'tokens', type: 'int32', declaredShape: ['batch', TOKENS_SEQUENCE_LENGTH] }]);
    expect(backend.dynamicBatch).toBe(true);
  });

  it('batch 8 and batch 1 give onnxruntime-node’s logits', async () => {
    const expected = reference['logits']!.data as Float32Array;
    const batch = await backend.infer(samples);
    expect(batch['logits']!.dims).toEqual([8, CLASSES]);
    expect(maxAbsDiff(batch['logits']!.data as Float32Array, expected)).toBeLessThanOrEqual(MAX_ABS_LOGIT_DIFF);
    const one = await backend.infer([samples[3]!]);
    expect(maxAbsDiff(one['logits']!.data as Float32Array, expected.subarray(3 * CLASSES, 4 * CLASSES))).toBeLessThanOrEqual(MAX_ABS_LOGIT_DIFF);
  });
});
