import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecodeBuffers, decodeFeeds, prefillFeeds } from '../../../src/llm/engine/decode-batch.js';
import { SequenceCache } from '../../../src/llm/engine/sequence-cache.js';
import { TINY_LLM_SHAPE } from '../../../src/llm/model/config.js';
import type { DecoderSession } from '../../../src/llm/model/decoder-session.js';
import { openDecoder, writeUntrainedDecoder } from './decoder-fixture.js';

const shape = TINY_LLM_SHAPE;
const V = shape.vocabularySize;

let session: DecoderSession;
beforeAll(async () => {
  session = await openDecoder(writeUntrainedDecoder());
});
afterAll(async () => {
  await session.release();
});

interface Sequence {
  readonly prompt: number[];
  /** Tokens fed at decode steps 1, 2, ... */
  readonly continuation: number[];
}

const sequences: Sequence[] = [
  { prompt: [1, 300, 301], continuation: [400, 401, 402, 403, 404] },
  { prompt: [1, 500, 501, 502, 503, 504, 505], continuation: [600, 3 + 97, 3 + 98, 700, 710] },
  { prompt: [290], continuation: [291, 292, 293, 294, 295] },
];
const STEPS = 5;

async function prefill(sequence: Sequence): Promise<SequenceCache> {
  const prompt = Int32Array.from(sequence.prompt);
  const cache = new SequenceCache(shape, prompt.length + STEPS);
  const result = await session.run(prefillFeeds(shape, prompt));
  cache.append(result, 0, prompt.length, 0, prompt.length);
  return cache;
}

/** Logits of each decode step, decoding the sequence on its own (B = 1). */
async function decodeAlone(sequence: Sequence): Promise<Float32Array[]> {
  const cache = await prefill(sequence);
  const logits: Float32Array[] = [];
  for (let step = 0; step < STEPS; step++) {
    const feeds = decodeFeeds(shape, [{ cache, token: sequence.continuation[step]! }]);
    const result = await session.run(feeds);
    cache.append(result, 0, feeds.pastCount + 1, feeds.pastCount, 1);
    logits.push(result.logits);
  }
  return logits;
}

describe('batched decode with left padding', () => {
  it('gives each row the logits it gets decoded alone', async () => {
    const alone: Float32Array[][] = [];
    for (const s of sequences) alone.push(await decodeAlone(s));
    const caches: SequenceCache[] = [];
    for (const s of sequences) caches.push(await prefill(s));
    let worst = 0;
    for (let step = 0; step < STEPS; step++) {
      const feeds = decodeFeeds(
        shape,
        sequences.map((s, b) => ({ cache: caches[b]!, token: s.continuation[step]! })),
      );
      expect(feeds.pastCount).toBe(7 + step);
      const result = await session.run(feeds);
      sequences.forEach((_, b) => {
        caches[b]!.append(result, b, feeds.pastCount + 1, feeds.pastCount, 1);
        const expected = alone[b]?.[step] ?? new Float32Array(0);
        expect(expected.length).toBe(V);
        for (let v = 0; v < V; v++) worst = Math.max(worst, Math.abs(result.logits[b * V + v]! - expected[v]!));
      });
    }
    expect(worst).toBeLessThan(1e-4);
    // The rows differ (a broken batch could give every row the same logits).
    const [first, second] = alone.map((steps) => steps[0]?.[0] ?? Number.NaN);
    expect(first).not.toBeCloseTo(second ?? Number.NaN, 3);
  });

  it('masks the padding: garbage in the padded slots does not change the logits', async () => {
    const caches: SequenceCache[] = [];
    for (const s of sequences) caches.push(await prefill(s));
    const rows = sequences.map((s, b) => ({ cache: caches[b]!, token: s.continuation[0]! }));
    const clean = await session.run(decodeFeeds(shape, rows));
    const dirty = decodeFeeds(shape, rows);
    // Row 2 has 1 cached position out of 7: its first 6 slots are padding.
    for (const tensor of [...dirty.pastKeys, ...dirty.pastValues]) {
      const rowSize = tensor.length / rows.length;
      for (let i = 2 * rowSize; i < 3 * rowSize; i++) {
        const place = Math.floor((i % (rowSize / shape.heads)) / (shape.width / shape.heads));
        if (place < 6) tensor[i] = 1000;
      }
    }
    const result = await session.run(dirty);
    let worst = 0;
    for (let i = 0; i < result.logits.length; i++) worst = Math.max(worst, Math.abs(result.logits[i]! - clean.logits[i]!));
    expect(worst).toBeLessThan(1e-4);
  });
});

describe('reused decode buffers', () => {
  it('give the same logits as fresh ones, step after step, while the batch changes', async () => {
    const buffers = new DecodeBuffers();
    const caches: SequenceCache[] = [];
    for (const s of sequences) caches.push(await prefill(s));
    for (let step = 0; step < STEPS; step++) {
      // Rows come and go: all three, then only the last two, then all again.
      const chosen = step % 2 === 1 ? [1, 2] : [0, 1, 2];
      const rows = chosen.map((b) => ({ cache: caches[b]!, token: sequences[b]?.continuation[step] ?? 0 }));
      const fresh = await session.run(decodeFeeds(shape, rows));
      const reused = await session.run(decodeFeeds(shape, rows, buffers));
      expect(Array.from(reused.logits)).toEqual(Array.from(fresh.logits));
    }
  });
});
