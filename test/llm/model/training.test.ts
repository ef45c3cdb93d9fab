import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DecoderShape, TINY_LLM_SHAPE } from '../../../src/llm/model/config.js';
import type { DecoderSession } from '../../../src/llm/model/decoder-session.js';
import { encodeDecoderOnnx } from '../../../src/llm/model/onnx-graph.js';
import { GrammarCorpus } from '../../../src/llm/model/training/corpus.js';
import { DecoderNetwork } from '../../../src/llm/model/training/decoder-network.js';
import { trainDecoder } from '../../../src/llm/model/training/train.js';
import { decoderParameterCount, decoderWeightsFrom, initializeDecoderParameters } from '../../../src/llm/model/weights.js';
import { WordTokenizer } from '../../../src/llm/text/word-tokenizer.js';
import { openDecoder } from './decoder-fixture.js';

const shape = TINY_LLM_SHAPE;

function initialParams(s: DecoderShape, seed: number): Float64Array {
  const params = new Float64Array(decoderParameterCount(s));
  initializeDecoderParameters(s, seed, params);
  return params;
}

describe('training network', () => {
  let session: DecoderSession;
  let params: Float64Array;
  beforeAll(async () => {
    params = initialParams(shape, 3);
    // A few training steps, so the weights are not just the initial ones.
    trainDecoder(shape, params, { corpusSeed: 1, steps: 3, batchSize: 2, learningRate: 0.01, warmupSteps: 1 });
    const weights = decoderWeightsFrom(shape, params);
    const path = join(mkdtempSync(join(tmpdir(), 'mlbench-tiny-llm-')), 'model.onnx');
    writeFileSync(path, encodeDecoderOnnx(weights, { docString: '', properties: [] }));
    session = await openDecoder(path);
  });
  afterAll(async () => {
    await session.release();
  });

  it('computes what the exported ONNX graph computes (last-position logits, any starting position)', async () => {
    const network = new DecoderNetwork(shape, 40);
    // The ONNX file holds float32 weights: give the float64 network the same rounded values.
    network.params.set(Float64Array.from(Float32Array.from(params)));
    const ids = [1, 300, 420, 500, 3 + 120, 640, 700, 2];
    for (const first of [0, 37, 512 - ids.length]) {
      const logits = network.forward(ids, first);
      const last = logits.subarray((ids.length - 1) * shape.vocabularySize, ids.length * shape.vocabularySize);
      const result = await session.run({
        batch: 1,
        newCount: ids.length,
        pastCount: 0,
        inputIds: BigInt64Array.from(ids.map(BigInt)),
        positionIds: BigInt64Array.from(ids.map((_, i) => BigInt(first + i))),
        attentionMask: new BigInt64Array(ids.length).fill(1n),
        pastKeys: [new Float32Array(0), new Float32Array(0)],
        pastValues: [new Float32Array(0), new Float32Array(0)],
      });
      let worst = 0;
      for (let v = 0; v < shape.vocabularySize; v++) worst = Math.max(worst, Math.abs(last[v]! - result.logits[v]!));
      expect(worst).toBeLessThan(1e-4);
    }
  });
});

describe('training gradients', () => {
  it('match finite differences on a small decoder', () => {
    const small: DecoderShape = { vocabularySize: 11, contextLength: 9, width: 8, heads: 2, feedForwardWidth: 12, layers: 2 };
    const network = new DecoderNetwork(small, 6);
    network.params.set(initialParams(small, 9));
    const ids = [1, 4, 7, 3, 10];
    const targets = [4, 7, 3, 10, 2];
    const loss = (): number => {
      network.forward(ids, 2);
      const saved = Float64Array.from(network.grads);
      const value = network.backward(targets, 1);
      network.grads.set(saved);
      return value;
    };
    network.grads.fill(0);
    network.forward(ids, 2);
    network.backward(targets, 1);
    const analytic = Float64Array.from(network.grads);
    const step = 1e-5;
    // Every 97th parameter: embeddings, both blocks, the norms and the output projection.
    for (let i = 0; i < network.params.length; i += 97) {
      const original = network.params[i]!;
      network.params[i] = original + step;
      const up = loss();
      network.params[i] = original - step;
      const down = loss();
      network.params[i] = original;
      const numeric = (up - down) / (2 * step);
      expect(Math.abs(numeric - analytic[i]!)).toBeLessThan(1e-6 + 1e-4 * Math.abs(numeric));
    }
  });
});

describe('decoder training', () => {
  it('is deterministic and lowers the loss', () => {
    const options = { corpusSeed: 4, steps: 12, batchSize: 4, learningRate: 0.005, warmupSteps: 2 };
    const a = initialParams(shape, 1);
    const b = initialParams(shape, 1);
    const summaryA = trainDecoder(shape, a, options);
    const summaryB = trainDecoder(shape, b, options);
    expect(summaryA).toEqual(summaryB);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(summaryA.finalLoss).toBeLessThan(summaryA.firstLoss);
  });

  it('the corpus is vocabulary words, starts with <bos> and ends with <eos>', () => {
    const tokenizer = new WordTokenizer();
    const corpus = new GrammarCorpus(1);
    for (let d = 0; d < 50; d++) {
      const document = corpus.nextDocument();
      expect(document[0]).toBe(tokenizer.bosId);
      expect(document[document.length - 1]).toBe(tokenizer.eosId);
      expect(document.length).toBeLessThanOrEqual(40);
      for (const id of document.subarray(1, -1)) expect(tokenizer.isWord(id)).toBe(true);
    }
  });
});
