import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_LLM_SHAPE } from '../../../src/llm/model/config.js';
import type { DecoderResult, DecoderSession } from '../../../src/llm/model/decoder-session.js';
import { openDecoder, writeUntrainedDecoder } from './decoder-fixture.js';

const shape = TINY_LLM_SHAPE;
const headSize = shape.width / shape.heads;
const empty = (): Float32Array[] => Array.from({ length: shape.layers }, () => new Float32Array(0));
const ids = (values: readonly number[]): BigInt64Array => BigInt64Array.from(values.map(BigInt));
const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

let session: DecoderSession;
beforeAll(async () => {
  session = await openDecoder(writeUntrainedDecoder());
});
afterAll(async () => {
  await session.release();
});

/** Logits of the last token of `tokens`, computed in one pass with no cache. */
async function fullRecompute(tokens: readonly number[]): Promise<Float32Array> {
  const result = await session.run({
    batch: 1,
    newCount: tokens.length,
    pastCount: 0,
    inputIds: ids(tokens),
    positionIds: ids(range(0, tokens.length)),
    attentionMask: ids(tokens.map(() => 1)),
    pastKeys: empty(),
    pastValues: empty(),
  });
  return result.logits;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('decoder KV cache', () => {
  it('prefill with an empty past returns last-position logits and a present cache of the prompt length', async () => {
    const prompt = [1, 300, 301, 400];
    const result = await session.run({
      batch: 1,
      newCount: prompt.length,
      pastCount: 0,
      inputIds: ids(prompt),
      positionIds: ids(range(0, prompt.length)),
      attentionMask: ids(prompt.map(() => 1)),
      pastKeys: empty(),
      pastValues: empty(),
    });
    expect(result.logits.length).toBe(shape.vocabularySize);
    expect(result.presentKeys[0]!.length).toBe(shape.heads * prompt.length * headSize);
    expect(result.logits.every(Number.isFinite)).toBe(true);
  });

  it('incremental decoding (prefill, then one token at a time) matches a full recompute', async () => {
    const tokens = [1, 270, 500, 640, 3 + 104, 261, 700, 300, 301, 302];
    const promptLength = 4;
    let step: DecoderResult = await session.run({
      batch: 1,
      newCount: promptLength,
      pastCount: 0,
      inputIds: ids(tokens.slice(0, promptLength)),
      positionIds: ids(range(0, promptLength)),
      attentionMask: ids(range(0, promptLength).map(() => 1)),
      pastKeys: empty(),
      pastValues: empty(),
    });
    expect(maxAbsDiff(step.logits, await fullRecompute(tokens.slice(0, promptLength)))).toBeLessThan(1e-4);
    for (let position = promptLength; position < tokens.length; position++) {
      step = await session.run({
        batch: 1,
        newCount: 1,
        pastCount: position,
        inputIds: ids([tokens[position]!]),
        positionIds: ids([position]),
        attentionMask: ids(range(0, position + 1).map(() => 1)),
        pastKeys: step.presentKeys,
        pastValues: step.presentValues,
      });
      expect(maxAbsDiff(step.logits, await fullRecompute(tokens.slice(0, position + 1)))).toBeLessThan(1e-4);
    }
  });
});
