import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TfjsBackend } from '../../src/backends/tfjs-backend.js';
import type { SampleFeeds } from '../../src/backends/types.js';
import { canonicalDouble, Mt19937, uniformInt } from '../../src/loadgen/rng.js';
import { maxAbsDiff, modelFiles, ortOutputs } from './helpers/parity.js';
import { buildConvVariantsOnnx, buildTransformerOnnx, CONV_INPUT_DIMS, TRANSFORMER_SEQUENCE, TRANSFORMER_VOCABULARY } from './helpers/test-models.js';

/** float32 kernels differ in summation order and erf/exp approximations; outputs here are O(1). */
const MAX_ABS_DIFF = 1e-4;
const BATCH = 3;

function tokenIds(seed: number): Int32Array[] {
  const rng = new Mt19937(seed);
  return Array.from({ length: BATCH }, () => Int32Array.from({ length: TRANSFORMER_SEQUENCE }, () => uniformInt(rng, 0, TRANSFORMER_VOCABULARY - 1)));
}

const tokenSamples = (seed: number): SampleFeeds[] => tokenIds(seed).map((ids) => ({ ids: { data: ids, dims: [TRANSFORMER_SEQUENCE] } }));
/** As an ONNX workload feeds int64 ids: the TF.js model takes int32 and the backend converts. */
const int64TokenSamples = (seed: number): SampleFeeds[] =>
  tokenIds(seed).map((ids) => ({ ids: { data: BigInt64Array.from(ids, (v) => BigInt(v)), dims: [TRANSFORMER_SEQUENCE] } }));

function imageSamples(seed: number): SampleFeeds[] {
  const rng = new Mt19937(seed);
  const count = CONV_INPUT_DIMS.reduce((p, d) => p * d, 1);
  return Array.from({ length: BATCH }, () => ({ image: { data: Float32Array.from({ length: count }, () => canonicalDouble(rng)), dims: [...CONV_INPUT_DIMS] } }));
}

const MODELS = [
  { name: 'transformer op set', onnx: buildTransformerOnnx(11), samples: tokenSamples(5), outputs: ['logits', 'pooled'] },
  { name: 'transformer op set, int64 ids', onnx: buildTransformerOnnx(13, 'int64'), samples: int64TokenSamples(7), outputs: ['logits', 'pooled'] },
  { name: 'conv and layout variants', onnx: buildConvVariantsOnnx(12), samples: imageSamples(6), outputs: ['scores', 'channels', 'shifted'] },
];

describe.each(MODELS)('ONNX vs TF.js on a synthetic model: $name', ({ onnx, samples, outputs }) => {
  let files: Awaited<ReturnType<typeof modelFiles>>;
  let reference: Awaited<ReturnType<typeof ortOutputs>>;
  beforeAll(async () => {
    files = await modelFiles(onnx);
    reference = await ortOutputs(files.onnxPath, samples);
  });
  afterAll(() => files.cleanup());

  it.each(['cpu', 'wasm'] as const)('the %s runtime matches onnxruntime-node on every output', async (runtime) => {
    const backend = await TfjsBackend.create({ modelPath: files.tfjsPath, runtime, threads: 0 });
    try {
      expect(backend.outputs.map((o) => o.name)).toEqual(outputs);
      const got = await backend.infer(samples);
      for (const name of outputs) {
        expect(got[name]!.dims).toEqual(reference[name]!.dims);
        expect(maxAbsDiff(got[name]!.data as Float32Array, reference[name]!.data as Float32Array)).toBeLessThanOrEqual(MAX_ABS_DIFF);
      }
    } finally {
      await backend.dispose();
    }
  });
});
