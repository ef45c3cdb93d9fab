import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTokensSample, TOKENS_CLASSES, TOKENS_SEQUENCE_LENGTH } from '../../../src/workloads/tokens/dataset.js';
import { createTokensPredictor } from '../../../src/workloads/tokens/forward.js';
import { decodeTokensTransformerOnnx } from '../../../src/workloads/tokens/onnx-decode.js';

const WORKLOAD_DIR = new URL('../../../workloads/tokens-transformer/', import.meta.url);
const MODEL = new URL('model.onnx', WORKLOAD_DIR);
const MANIFEST = new URL('model.json', WORKLOAD_DIR);
const EVAL_SAMPLES = 1024;
const L = TOKENS_SEQUENCE_LENGTH;
const C = TOKENS_CLASSES.length;

interface TokensManifest {
  sha256: string;
  sizeBytes: number;
  classes: string[];
  dataset: { seed: number; evalSplit: string; evalSamples: number };
  accuracy: { heldOut: number; train: number; countsOnly: number };
}

/** Ids and labels of eval samples [start, start+count), packed as one [count, L] batch. */
function evalBatch(seed: number, start: number, count: number): { ids: Int32Array; labels: number[] } {
  const ids = new Int32Array(count * L);
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const sample = makeTokensSample(seed, 'eval', start + i);
    ids.set(sample.ids, i * L);
    labels.push(sample.label);
  }
  return { ids, labels };
}

// Runs once `npm run generate:models` has written the workload's model (the files are generated, then committed).
describe.skipIf(!existsSync(MODEL) || !existsSync(MANIFEST))('committed tokens-transformer model.onnx', () => {
  let manifest: TokensManifest;
  let modelBytes: Uint8Array;
  let session: ort.InferenceSession;

  beforeAll(async () => {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as TokensManifest;
    modelBytes = new Uint8Array(readFileSync(MODEL));
    session = await ort.InferenceSession.create(modelBytes);
  });

  afterAll(async () => {
    await session?.release();
  });

  async function logits(ids: Int32Array, batch: number): Promise<Float32Array> {
    const outputs = await session.run({ tokens: new ort.Tensor('int32', ids, [batch, L]) });
    return outputs.logits!.data as Float32Array;
  }

  it('matches the sha256 and size recorded in model.json, and is small', () => {
    expect(createHash('sha256').update(modelBytes).digest('hex')).toBe(manifest.sha256);
    expect(modelBytes.byteLength).toBe(manifest.sizeBytes);
    expect(modelBytes.byteLength).toBeLessThan(100_000);
    expect(manifest.classes).toEqual([...TOKENS_CLASSES]);
  });

  it('agrees with the pure-TS forward pass within 1e-4 on fixed samples', async () => {
    const predict = createTokensPredictor(decodeTokensTransformerOnnx(modelBytes));
    const { ids } = evalBatch(manifest.dataset.seed, 100, 8);
    const got = await logits(ids, 8);
    for (let i = 0; i < 8; i++) {
      const expected = predict(ids.subarray(i * L, (i + 1) * L));
      for (let k = 0; k < C; k++) expect(Math.abs(got[i * C + k]! - expected[k]!)).toBeLessThan(1e-4);
    }
  });

  it(`classifies eval samples 0..${EVAL_SAMPLES - 1} with >= 90% top-1, as model.json records`, async () => {
    expect(manifest.dataset.evalSplit).toBe('eval');
    expect(manifest.dataset.evalSamples).toBe(EVAL_SAMPLES);
    const batchSize = 128;
    let correct = 0;
    for (let start = 0; start < EVAL_SAMPLES; start += batchSize) {
      const { ids, labels } = evalBatch(manifest.dataset.seed, start, batchSize);
      const got = await logits(ids, batchSize);
      labels.forEach((label, i) => {
        let best = 0;
        for (let k = 1; k < C; k++) if (got[i * C + k]! > got[i * C + best]!) best = k;
        if (best === label) correct++;
      });
    }
    const accuracy = correct / EVAL_SAMPLES;
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    expect(accuracy).toBeGreaterThan(manifest.accuracy.countsOnly + 0.3);
    expect(Math.abs(accuracy - manifest.accuracy.heldOut)).toBeLessThanOrEqual(0.01);
  });
});
