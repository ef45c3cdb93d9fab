/**
 * Procedural token-sequence dataset for the tokens-transformer workload: "which
 * group does the token after the marker belong to?"
 *
 * Each sequence holds 16 token ids. Exactly one is the marker (id 0), never
 * last; the token right after it is a content token of the label's group;
 * every other position is a uniformly random non-marker id (1..63). Ids 1..3
 * are fillers; content group g is ids 4 + 15g .. 18 + 15g.
 *
 * Token counts hint at the label only through that one token: the best guess
 * from the group counts alone (the most frequent group) is right 39.1% of the
 * time (counts-baseline.ts computes it exactly). Getting it right every time
 * takes relating the marker's position to its neighbour's content, which is
 * what self-attention does. The hint is deliberate: with every group's count
 * fixed, so counts said nothing, our small model stayed at chance through
 * 80,000 training sequences (length 32) and 64,000 (length 16); with the hint
 * it first learns the groups, then the marker relation.
 *
 * Every sample is a pure function of (seed, split, index), drawn with the
 * project's Mt19937 (integer-only, so identical on every platform).
 */

import { Mt19937, shuffleInPlace, uniformInt } from '../../loadgen/rng.js';
import { hashSeed } from '../shapes/dataset.js';

export const TOKENS_SEQUENCE_LENGTH = 16;
export const TOKENS_VOCABULARY_SIZE = 64;

/** Class k: the token after the marker belongs to content group k. */
export const TOKENS_CLASSES: readonly string[] = ['group_a', 'group_b', 'group_c', 'group_d'];

export type TokensSplit = 'train' | 'eval';

export interface TokensSample {
  /** TOKENS_SEQUENCE_LENGTH ids, each in [0, TOKENS_VOCABULARY_SIZE). */
  readonly ids: Int32Array;
  /** Index into TOKENS_CLASSES. */
  readonly label: number;
}

export const TOKENS_MARKER_ID = 0;
/** Ids 1..3 belong to no group. */
export const TOKENS_FIRST_CONTENT_ID = 4;
export const TOKENS_IDS_PER_GROUP = 15;

const GROUP_COUNT = TOKENS_CLASSES.length;

/** Distinct stream tags keep the train and eval splits disjoint (the same tags as the shapes dataset). */
const SPLIT_STREAM: Record<TokensSplit, number> = {
  train: 0x7472_6169,
  eval: 0x6576_616c,
};
const LABEL_STREAM = 0x6c61_6265;
const SEQUENCE_STREAM = 0x746f_6b6e;

/** Content group (class index) of a token id, or -1 for the marker and fillers. */
export function tokenGroup(id: number): number {
  if (id < TOKENS_FIRST_CONTENT_ID || id >= TOKENS_VOCABULARY_SIZE) return -1;
  return Math.floor((id - TOKENS_FIRST_CONTENT_ID) / TOKENS_IDS_PER_GROUP);
}

function assertSampleAddress(seed: number, index: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new RangeError(`tokens seed must be a uint32, got ${seed}`);
  }
  if (!Number.isInteger(index) || index < 0 || index > 0xffff_ffff) {
    throw new RangeError(`tokens sample index must be a uint32, got ${index}`);
  }
}

/**
 * Label of a sample, without drawing the sequence. Each block of 4
 * consecutive indices holds a seeded permutation of the 4 classes, so any
 * prefix of a split is balanced to within one sample per class.
 */
export function tokensLabel(seed: number, split: TokensSplit, index: number): number {
  assertSampleAddress(seed, index);
  const block = Math.floor(index / GROUP_COUNT);
  const order = Array.from({ length: GROUP_COUNT }, (_, i) => i);
  shuffleInPlace(new Mt19937(hashSeed(seed, SPLIT_STREAM[split], LABEL_STREAM, block)), order);
  return order[index % GROUP_COUNT]!;
}

export function makeTokensSample(seed: number, split: TokensSplit, index: number): TokensSample {
  const label = tokensLabel(seed, split, index);
  const rng = new Mt19937(hashSeed(seed, SPLIT_STREAM[split], SEQUENCE_STREAM, index));
  // The marker is never last, so a token always follows it.
  const markerAt = uniformInt(rng, 0, TOKENS_SEQUENCE_LENGTH - 2);
  const ids = new Int32Array(TOKENS_SEQUENCE_LENGTH);
  for (let position = 0; position < TOKENS_SEQUENCE_LENGTH; position++) {
    if (position === markerAt) {
      ids[position] = TOKENS_MARKER_ID;
    } else if (position === markerAt + 1) {
      const groupStart = TOKENS_FIRST_CONTENT_ID + label * TOKENS_IDS_PER_GROUP;
      ids[position] = groupStart + uniformInt(rng, 0, TOKENS_IDS_PER_GROUP - 1);
    } else {
      ids[position] = uniformInt(rng, TOKENS_MARKER_ID + 1, TOKENS_VOCABULARY_SIZE - 1);
    }
  }
  return { ids, label };
}
