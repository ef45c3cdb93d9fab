import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TfjsBackend } from '../../src/backends/tfjs-backend.js';
import type { BatchOutputs, SampleFeeds } from '../../src/backends/types.js';
import { BUILTIN_WORKLOADS_DIR } from '../../src/workloads/paths.js';
import { makeShapesSample } from '../../src/workloads/shapes/dataset.js';
import { maxAbsDiff, ortOutputs } from './helpers/parity.js';

/** Measured about 1.5e-5 on both runtimes (float32 summation order); logits are O(10). */
const MAX_ABS_LOGIT_DIFF = 1e-4;
const CLASSES = 10;
const MODEL_DIR = join(BUILTIN_WORKLOADS_DIR, 'shapes-cnn');

const samples: SampleFeeds[] = Array.from({ length: 8 }, (_, i) => ({ image: { data: makeShapesSample(7, 'eval', i).pixels, dims: [3, 32, 32] } }));

describe.each(['wasm', 'cpu'] as const)('shapes-cnn in TF.js on the %s runtime agrees with onnxruntime-node', (runtime) => {
  let backend: TfjsBackend;
  let reference: BatchOutputs;
  beforeAll(async () => {
    reference = await ortOutputs(join(MODEL_DIR, 'model.onnx'), samples);
    backend = await TfjsBackend.create({ modelPath: join(MODEL_DIR, 'tfjs', 'model.json'), runtime, threads: 0 });
  });
  afterAll(() => backend.dispose());

  it('declares the ONNX model’s input and output, and says what ran', () => {
    expect(backend.inputs).toEqual([{ name: 'image', type: 'float32', declaredShape: ['batch', 3, 32, 32] }]);
    expect(backend.outputs).toEqual([{ name: 'logits', type: 'float32', declaredShape: ['batch', CLASSES] }]);
    expect(backend.dynamicBatch).toBe(true);
    expect(backend.description.name).toBe('tfjs');
    expect(backend.description.settings).toEqual({ runtime, threads: runtime === 'wasm' ? 1 : null, modelFormat: 'graph' });
    expect(backend.description.coldStartNs).toBeGreaterThan(0);
  });

  it('batch 8', async () => {
    const got = await backend.infer(samples);
    expect(got['logits']!.dims).toEqual([8, CLASSES]);
    expect(maxAbsDiff(got['logits']!.data as Float32Array, reference['logits']!.data as Float32Array)).toBeLessThanOrEqual(MAX_ABS_LOGIT_DIFF);
  });

  it('batch 1, sample by sample', async () => {
    const expected = reference['logits']!.data as Float32Array;
    for (let i = 0; i < samples.length; i++) {
      const got = await backend.infer([samples[i]!]);
      expect(got['logits']!.dims).toEqual([1, CLASSES]);
      expect(maxAbsDiff(got['logits']!.data as Float32Array, expected.subarray(i * CLASSES, (i + 1) * CLASSES))).toBeLessThanOrEqual(MAX_ABS_LOGIT_DIFF);
    }
  });
});
