/**
 * One sequence's key/value cache, kept by the engine between decode steps: per layer
 * [heads, capacity, headWidth], so each head's cached positions are one contiguous run that
 * copies into a batch tensor with a single set(). Capacity is the sequence's whole budget
 * (prompt + maxTokens), allocated once at admission.
 */

import { type DecoderShape, headWidth } from '../model/config.js';
import type { DecoderResult } from '../model/decoder-session.js';

export class SequenceCache {
  readonly capacity: number;
  readonly keys: Float32Array[];
  readonly values: Float32Array[];
  readonly #heads: number;
  readonly #headWidth: number;
  /** Positions cached so far. */
  #length = 0;

  constructor(shape: DecoderShape, capacity: number) {
    this.capacity = capacity;
    this.#heads = shape.heads;
    this.#headWidth = headWidth(shape);
    const size = shape.heads * capacity * this.#headWidth;
    this.keys = Array.from({ length: shape.layers }, () => new Float32Array(size));
    this.values = Array.from({ length: shape.layers }, () => new Float32Array(size));
  }

  get length(): number {
    return this.#length;
  }

  /**
   * Appends `count` positions of row `row` of a run's present tensors ([B, heads, total,
   * headWidth]), starting at position `from` of that run.
   */
  append(result: DecoderResult, row: number, total: number, from: number, count: number): void {
    if (this.#length + count > this.capacity) {
      throw new RangeError(`cache of ${this.capacity} positions cannot take ${count} more after ${this.#length}`);
    }
    const width = this.#headWidth;
    const layers = this.keys.length;
    for (let layer = 0; layer < layers; layer++) {
      const sources = [result.presentKeys[layer]!, result.presentValues[layer]!];
      const targets = [this.keys[layer]!, this.values[layer]!];
      for (let kind = 0; kind < 2; kind++) {
        const source = sources[kind]!;
        const target = targets[kind]!;
        for (let h = 0; h < this.#heads; h++) {
          const start = ((row * this.#heads + h) * total + from) * width;
          target.set(source.subarray(start, start + count * width), (h * this.capacity + this.#length) * width);
        }
      }
    }
    this.#length += count;
  }

  /** Copies this cache into row `row` of [B, heads, pastCount, headWidth] tensors, right-aligned (left padding). */
  copyInto(pastKeys: readonly Float32Array[], pastValues: readonly Float32Array[], row: number, pastCount: number): void {
    const width = this.#headWidth;
    const padding = pastCount - this.#length;
    const run = this.#length * width;
    for (let layer = 0; layer < this.keys.length; layer++) {
      for (let h = 0; h < this.#heads; h++) {
        const from = h * this.capacity * width;
        const to = ((row * this.#heads + h) * pastCount + padding) * width;
        pastKeys[layer]!.set(this.keys[layer]!.subarray(from, from + run), to);
        pastValues[layer]!.set(this.values[layer]!.subarray(from, from + run), to);
      }
    }
  }
}
