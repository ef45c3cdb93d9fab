/**
 * The feeds of one decode step (T = 1) over several sequences: each row's cache left-padded to
 * the longest, attention_mask 0 over the padding, each row's own position id.
 */

import type { DecoderShape } from '../model/config.js';
import type { DecoderFeeds } from '../model/decoder-session.js';
import type { SequenceCache } from './sequence-cache.js';

export interface DecodeRow {
  readonly cache: SequenceCache;
  /** The token fed at this step (the last one generated). */
  readonly token: number;
}

/**
 * Past-cache buffers reused from step to step: a decode step copies every row's cache into
 * them, and allocating (and zeroing) megabytes per step costs as much as the copy. Padding
 * slots keep stale values; attention_mask 0 makes them irrelevant.
 */
export class DecodeBuffers {
  #keys: Float32Array[] = [];
  #values: Float32Array[] = [];

  /** Views of exactly `size` values per layer; valid until the next call. */
  take(layers: number, size: number): { keys: Float32Array[]; values: Float32Array[] } {
    if (this.#keys.length !== layers || this.#keys[0]!.length < size) {
      // Grow with headroom so a batch whose contexts grow by one position per step reallocates rarely.
      const capacity = Math.ceil(size * 1.25);
      this.#keys = Array.from({ length: layers }, () => new Float32Array(capacity));
      this.#values = Array.from({ length: layers }, () => new Float32Array(capacity));
    }
    return {
      keys: this.#keys.map((buffer) => buffer.subarray(0, size)),
      values: this.#values.map((buffer) => buffer.subarray(0, size)),
    };
  }
}

export function decodeFeeds(shape: DecoderShape, rows: readonly DecodeRow[], buffers?: DecodeBuffers): DecoderFeeds {
  const batch = rows.length;
  let pastCount = 0;
  for (const row of rows) pastCount = Math.max(pastCount, row.cache.length);
  const total = pastCount + 1;
  const size = batch * shape.heads * pastCount * (shape.width / shape.heads);
  const { keys: pastKeys, values: pastValues } = buffers
    ? buffers.take(shape.layers, size)
    : {
        keys: Array.from({ length: shape.layers }, () => new Float32Array(size)),
        values: Array.from({ length: shape.layers }, () => new Float32Array(size)),
      };
  const inputIds = new BigInt64Array(batch);
  const positionIds = new BigInt64Array(batch);
  const attentionMask = new BigInt64Array(batch * total);
  rows.forEach((row, b) => {
    const length = row.cache.length;
    inputIds[b] = BigInt(row.token);
    // The new token sits right after the sequence's own cached positions.
    positionIds[b] = BigInt(length);
    attentionMask.fill(1n, b * total + (pastCount - length), (b + 1) * total);
    row.cache.copyInto(pastKeys, pastValues, b, pastCount);
  });
  return { batch, newCount: 1, pastCount, inputIds, positionIds, attentionMask, pastKeys, pastValues };
}

/** The feeds of a prefill: one sequence's whole prompt at positions 0..T-1, no past. */
export function prefillFeeds(shape: DecoderShape, prompt: Int32Array): DecoderFeeds {
  const count = prompt.length;
  const empty = (): Float32Array[] => Array.from({ length: shape.layers }, () => new Float32Array(0));
  return {
    batch: 1,
    newCount: count,
    pastCount: 0,
    inputIds: BigInt64Array.from(prompt, (id) => BigInt(id)),
    positionIds: BigInt64Array.from({ length: count }, (_, i) => BigInt(i)),
    attentionMask: new BigInt64Array(count).fill(1n),
    pastKeys: empty(),
    pastValues: empty(),
  };
}
