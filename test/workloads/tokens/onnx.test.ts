import { createHash } from 'node:crypto';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTokensModel, type TokensModelBuild } from '../../../src/workloads/tokens/build.js';
import { makeTokensSample, TOKENS_CLASSES, TOKENS_SEQUENCE_LENGTH } from '../../../src/workloads/tokens/dataset.js';
import { createTokensPredictor } from '../../../src/workloads/tokens/forward.js';
import {
  TOKENS_ONNX_INPUT_NAME,
  TOKENS_ONNX_OUTPUT_NAME,
  tokensManifest,
} from '../../../src/workloads/tokens/manifest.js';
import { decodeTokensTransformerOnnx } from '../../../src/workloads/tokens/onnx-decode.js';
import { TOKENS_MODEL_SHAPE } from '../../../src/workloads/tokens/weights.js';

/** A few training steps: enough for non-trivial weights, fast enough for a unit test. */
const TINY = { trainSamples: 96, epochs: 1, evalSamples: 32 } as const;
/** The ops the TF.js and int8/fp16 converters support. */
const ALLOWED_OPS = new Set([
  'Gather', 'Add', 'Sub', 'Mul', 'Div', 'MatMul', 'Gemm', 'Reshape', 'Transpose', 'Softmax',
  'LayerNormalization', 'Erf', 'ReduceMean', 'Sqrt', 'Pow', 'Concat', 'Slice',
]);
const L = TOKENS_SEQUENCE_LENGTH;
const C = TOKENS_CLASSES.length;

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Ids of eval samples [start, start+count) packed as one [count, L] batch. */
function evalBatch(start: number, count: number): Int32Array {
  const data = new Int32Array(count * L);
  for (let i = 0; i < count; i++) data.set(makeTokensSample(11, 'eval', start + i).ids, i * L);
  return data;
}

async function runLogits(session: ort.InferenceSession, ids: Int32Array, batch: number): Promise<ort.Tensor> {
  const outputs = await session.run({ [TOKENS_ONNX_INPUT_NAME]: new ort.Tensor('int32', ids, [batch, L]) });
  return outputs[TOKENS_ONNX_OUTPUT_NAME]!;
}

/** Largest |ONNX - pure TS| over a batch, the TS pass run on the weights decoded from the file. */
async function worstDifference(session: ort.InferenceSession, bytes: Uint8Array, ids: Int32Array, batch: number) {
  const predict = createTokensPredictor(decodeTokensTransformerOnnx(bytes));
  const logits = await runLogits(session, ids, batch);
  expect(logits.dims).toEqual([batch, C]);
  const data = logits.data as Float32Array;
  let worst = 0;
  for (let i = 0; i < batch; i++) {
    const expected = predict(ids.subarray(i * L, (i + 1) * L));
    for (let k = 0; k < C; k++) worst = Math.max(worst, Math.abs(data[i * C + k]! - expected[k]!));
  }
  return worst;
}

describe('tokens transformer ONNX export', () => {
  let build: TokensModelBuild;
  let session: ort.InferenceSession;

  beforeAll(async () => {
    build = buildTokensModel(TINY);
    session = await ort.InferenceSession.create(build.onnxBytes);
  });

  afterAll(async () => {
    await session?.release();
  });

  it('is opset 17 / IR 8 from producer mlbench, with only the supported ops and no Constant nodes', () => {
    const model = onnxProto.onnx.ModelProto.decode(build.onnxBytes);
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain ?? '', Number(o.version)])).toEqual([['', 17]]);
    expect(model.producerName).toBe('mlbench');
    expect(model.docString).toMatch(/marker/);
    const ops = (model.graph?.node ?? []).map((n) => n.opType ?? '');
    expect(ops.filter((op) => !ALLOWED_OPS.has(op))).toEqual([]);
    const attention = ['LayerNormalization', 'MatMul', 'Add', 'Reshape', 'Transpose', 'Mul', 'Softmax'];
    expect(new Set(ops)).toEqual(new Set(['Gather', ...attention, 'Div', 'Erf', 'ReduceMean', 'Gemm']));
    expect(ops.filter((op) => op === 'Constant')).toEqual([]);
    const reshapeShapes = (model.graph?.initializer ?? []).filter((t) => t.name?.endsWith('_shape'));
    expect(reshapeShapes.map((t) => t.dataType)).toEqual([7, 7]); // int64
    const props = new Map(model.metadataProps.map((p) => [p.key, p.value]));
    expect(JSON.parse(props.get('classes') ?? '[]')).toEqual([...TOKENS_CLASSES]);
    expect(Number(props.get('held_out_accuracy'))).toBe(build.heldOutAccuracy);
  });

  it("declares input 'tokens' int32 [batch,16] and output 'logits' float32 [batch,4], batch symbolic", () => {
    expect(session.inputNames).toEqual(['tokens']);
    expect(session.outputNames).toEqual(['logits']);
    const [input] = session.inputMetadata;
    const [output] = session.outputMetadata;
    expect(input?.isTensor && input.type).toBe('int32');
    expect(input?.isTensor && input.shape).toEqual(['batch', L]);
    expect(output?.isTensor && output.type).toBe('float32');
    expect(output?.isTensor && output.shape).toEqual(['batch', C]);
  });

  it('decodes back to exactly the trained float32 weights', () => {
    const decoded = decodeTokensTransformerOnnx(build.onnxBytes);
    expect(decoded.shape).toEqual(TOKENS_MODEL_SHAPE);
    expect([...decoded.tensors.keys()]).toEqual([...build.weights.tensors.keys()]);
    for (const [name, values] of build.weights.tensors) expect(decoded.tensors.get(name)).toEqual(values);
  });

  it('matches the pure-TS forward pass within 1e-4 at batch 1 and batch 8', async () => {
    expect(await worstDifference(session, build.onnxBytes, evalBatch(0, 1), 1)).toBeLessThan(1e-4);
    expect(await worstDifference(session, build.onnxBytes, evalBatch(100, 8), 8)).toBeLessThan(1e-4);
  });

  it('gives each sequence the same logits alone as in a batch', async () => {
    const ids = evalBatch(200, 8);
    const batched = (await runLogits(session, ids, 8)).data as Float32Array;
    for (const i of [0, 5]) {
      const single = (await runLogits(session, ids.slice(i * L, (i + 1) * L), 1)).data as Float32Array;
      for (let k = 0; k < C; k++) expect(Math.abs(batched[i * C + k]! - single[k]!)).toBeLessThan(1e-5);
    }
  });

  it('exports a 2-layer, 4-head variant that ONNX Runtime also agrees with', async () => {
    const shape = { ...TOKENS_MODEL_SHAPE, layers: 2, heads: 4, feedForwardWidth: 48 };
    const deeper = buildTokensModel({ ...TINY, trainSamples: 32, shape });
    expect(decodeTokensTransformerOnnx(deeper.onnxBytes).shape).toEqual(shape);
    const deeperSession = await ort.InferenceSession.create(deeper.onnxBytes);
    try {
      expect(await worstDifference(deeperSession, deeper.onnxBytes, evalBatch(300, 8), 8)).toBeLessThan(1e-4);
    } finally {
      await deeperSession.release();
    }
  });

  it('builds the same bytes twice; another training seed gives other bytes', () => {
    expect(sha256(buildTokensModel(TINY).onnxBytes)).toBe(sha256(build.onnxBytes));
    expect(sha256(buildTokensModel({ ...TINY, trainingSeed: 12345 }).onnxBytes)).not.toBe(sha256(build.onnxBytes));
  });

  it('describes itself in a manifest that records the file, the task and the accuracies', () => {
    const manifest = tokensManifest(build) as {
      sha256: string;
      sizeBytes: number;
      description: string;
      input: unknown;
      output: unknown;
      accuracy: { heldOut: number; train: number; chance: number; countsOnly: number };
    };
    expect(manifest.sha256).toBe(sha256(build.onnxBytes));
    expect(manifest.sizeBytes).toBe(build.onnxBytes.byteLength);
    expect(manifest.description).toMatch(/right after the single marker token/);
    expect(manifest.input).toMatchObject({ name: 'tokens', dtype: 'int32', shape: ['batch', L] });
    expect(manifest.output).toMatchObject({ name: 'logits', dtype: 'float32', shape: ['batch', C] });
    const { heldOutAccuracy, trainAccuracy } = build;
    expect(manifest.accuracy).toMatchObject({ heldOut: heldOutAccuracy, train: trainAccuracy, chance: 0.25 });
    expect(manifest.accuracy.countsOnly).toBeCloseTo(0.3915, 4);
  });
});
