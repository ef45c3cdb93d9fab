import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeShapesSample, SHAPES_CLASSES } from '../../src/workloads/shapes/dataset.js';
import { decodeShapesCnnOnnx } from '../../src/workloads/shapes/onnx-export.js';
import { forward } from '../../src/workloads/shapes/train.js';

const WORKLOAD_DIR = new URL('../../workloads/shapes-cnn/', import.meta.url);
const PIXELS = 3 * 32 * 32;
const EVAL_SAMPLES = 1024;

interface ShapesManifest {
  sha256: string;
  sizeBytes: number;
  classes: string[];
  input: { name: string; shape: (string | number)[] };
  output: { name: string; shape: (string | number)[] };
  dataset: { seed: number; evalSplit: string; evalSamples: number };
  accuracy: { heldOut: number; train: number };
}

const manifest = JSON.parse(readFileSync(new URL('model.json', WORKLOAD_DIR), 'utf8')) as ShapesManifest;
const modelBytes = new Uint8Array(readFileSync(new URL('model.onnx', WORKLOAD_DIR)));

/** Pixels of eval samples [start, start+count) packed as one NCHW batch, with their labels. */
function evalBatch(start: number, count: number): { data: Float32Array; labels: number[] } {
  const data = new Float32Array(count * PIXELS);
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const sample = makeShapesSample(manifest.dataset.seed, 'eval', start + i);
    data.set(sample.pixels, i * PIXELS);
    labels.push(sample.label);
  }
  return { data, labels };
}

describe('committed shapes-cnn model.onnx', () => {
  let session: ort.InferenceSession;

  beforeAll(async () => {
    session = await ort.InferenceSession.create(modelBytes);
  });

  afterAll(async () => {
    await session?.release();
  });

  async function run(data: Float32Array, batch: number): Promise<ort.Tensor> {
    const outputs = await session.run({ image: new ort.Tensor('float32', data, [batch, 3, 32, 32]) });
    return outputs.logits!;
  }

  it('matches the sha256 and size recorded in model.json, and is small', () => {
    expect(createHash('sha256').update(modelBytes).digest('hex')).toBe(manifest.sha256);
    expect(modelBytes.byteLength).toBe(manifest.sizeBytes);
    expect(modelBytes.byteLength).toBeLessThan(100_000);
    expect(manifest.classes).toEqual([...SHAPES_CLASSES]);
  });

  it('is opset 17 / IR 8 from producer mlbench, standard ops only, with metadata', () => {
    const model = onnxProto.onnx.ModelProto.decode(modelBytes);
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain ?? '', Number(o.version)])).toEqual([['', 17]]);
    expect(model.producerName).toBe('mlbench');
    expect(model.docString).toMatch(/trained/i);
    const ops = new Set(model.graph?.node?.map((n) => n.opType));
    const allowed = new Set(['Sub', 'Conv', 'Relu', 'MaxPool', 'GlobalAveragePool', 'Flatten', 'Gemm']);
    for (const op of ops) expect(allowed.has(op ?? '')).toBe(true);
    const props = new Map(model.metadataProps.map((p) => [p.key, p.value]));
    expect(JSON.parse(props.get('classes') ?? '[]')).toEqual([...SHAPES_CLASSES]);
    expect(Number(props.get('dataset_seed'))).toBe(manifest.dataset.seed);
    expect(Number(props.get('held_out_accuracy'))).toBe(manifest.accuracy.heldOut);
  });

  it("declares input 'image' [batch,3,32,32] and output 'logits' [batch,10], batch symbolic", () => {
    expect(session.inputNames).toEqual(['image']);
    expect(session.outputNames).toEqual(['logits']);
    const [input] = session.inputMetadata;
    const [output] = session.outputMetadata;
    expect(input?.isTensor && input.type).toBe('float32');
    expect(input?.isTensor && input.shape).toEqual(['batch', 3, 32, 32]);
    expect(output?.isTensor && output.type).toBe('float32');
    expect(output?.isTensor && output.shape).toEqual(['batch', 10]);
    expect(manifest.input).toMatchObject({ name: 'image', shape: ['batch', 3, 32, 32] });
    expect(manifest.output).toMatchObject({ name: 'logits', shape: ['batch', 10] });
  });

  it('runs a batch of 1 and a batch of 8, and batching does not change the logits', async () => {
    const { data } = evalBatch(0, 8);
    const single = await run(data.slice(0, PIXELS), 1);
    expect(single.dims).toEqual([1, 10]);
    const batch = await run(data, 8);
    expect(batch.dims).toEqual([8, 10]);
    const batchLogits = batch.data as Float32Array;
    const singleLogits = single.data as Float32Array;
    for (let k = 0; k < 10; k++) expect(batchLogits[k]).toBeCloseTo(singleLogits[k]!, 4);
  });

  it('agrees with the pure-TS forward pass within 1e-4 on fixed samples', async () => {
    const weights = decodeShapesCnnOnnx(modelBytes);
    const { data } = evalBatch(100, 8);
    const logits = (await run(data, 8)).data as Float32Array;
    for (let i = 0; i < 8; i++) {
      const expected = forward(weights, data.subarray(i * PIXELS, (i + 1) * PIXELS));
      for (let k = 0; k < 10; k++) {
        expect(Math.abs(logits[i * 10 + k]! - expected[k]!)).toBeLessThan(1e-4);
      }
    }
  });

  it(`classifies eval samples 0..${EVAL_SAMPLES - 1} with >= 90% top-1, as model.json records`, async () => {
    expect(manifest.dataset.evalSplit).toBe('eval');
    expect(manifest.dataset.evalSamples).toBe(EVAL_SAMPLES);
    const batchSize = 64;
    let correct = 0;
    for (let start = 0; start < EVAL_SAMPLES; start += batchSize) {
      const { data, labels } = evalBatch(start, batchSize);
      const logits = (await run(data, batchSize)).data as Float32Array;
      labels.forEach((label, i) => {
        let best = 0;
        for (let k = 1; k < 10; k++) if (logits[i * 10 + k]! > logits[i * 10 + best]!) best = k;
        if (best === label) correct++;
      });
    }
    const accuracy = correct / EVAL_SAMPLES;
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    expect(Math.abs(accuracy - manifest.accuracy.heldOut)).toBeLessThanOrEqual(0.01);
  });
});
