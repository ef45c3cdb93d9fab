import { GrowableFloat64, GrowableInt32 } from './growable.js';
import { exponential, Mt19937, shuffleInPlace, uniformInt } from './rng.js';

/**
 * The query plan, drawn from three seeded Mersenne Twisters exactly as LoadGen draws it
 * (libstdc++'s distributions), so the same seeds give the same plan here and there.
 */

/** LoadGen's GenerateLoadableSets: shuffle all indices, keep the first `performanceCount`. */
export function selectSampleSet(totalCount: number, performanceCount: number, seed: string): Int32Array {
  const all = new Int32Array(totalCount);
  for (let i = 0; i < totalCount; i++) all[i] = i;
  shuffleInPlace(new Mt19937(seed), all);
  return all.slice(0, Math.min(performanceCount, totalCount));
}

/**
 * MultiStream queries take contiguous samples: LoadGen pads the loaded set with its first
 * `samplesPerQuery - 1` entries so a query may start anywhere in the unpadded set.
 */
export function padForContiguousQueries(set: Int32Array, samplesPerQuery: number): Int32Array {
  const padded = new Int32Array(set.length + samplesPerQuery - 1);
  padded.set(set);
  for (let i = 0; i < samplesPerQuery - 1; i++) padded[set.length + i] = set[i % set.length]!;
  return padded;
}

/**
 * Which samples each query uses: uniform with replacement over the loaded set (LoadGen's
 * performance mode). The stream is extensible: drawing more continues the same sequence.
 */
export class SampleIndexStream {
  readonly #rng: Mt19937;
  readonly #set: Int32Array;
  readonly #startChoices: number;
  readonly #samplesPerQuery: number;

  /** `set` is padded for MultiStream; `startChoices` is the unpadded size. */
  constructor(set: Int32Array, samplesPerQuery: number, seed: string) {
    this.#rng = new Mt19937(seed);
    this.#samplesPerQuery = samplesPerQuery;
    this.#set = samplesPerQuery > 1 ? padForContiguousQueries(set, samplesPerQuery) : set;
    this.#startChoices = set.length;
  }

  /** Dataset indices of the next query (a view into the loaded set). */
  next(): Int32Array {
    const start = uniformInt(this.#rng, 0, this.#startChoices - 1);
    return this.#set.subarray(start, start + this.#samplesPerQuery);
  }
}

/**
 * Server arrivals: a Poisson process at `targetQps`. Offsets are from the run's start, the
 * first at 0; each gap is truncated to whole ns as LoadGen's duration_cast does.
 */
export class ArrivalSchedule {
  readonly #rng: Mt19937;
  readonly #qps: number;
  readonly offsetsNs = new GrowableFloat64();
  #nextOffsetNs = 0;

  constructor(targetQps: number, seed: string) {
    this.#rng = new Mt19937(seed);
    this.#qps = targetQps;
  }

  get length(): number {
    return this.offsetsNs.length;
  }

  offsetNs(i: number): number {
    return this.offsetsNs.get(i);
  }

  /** Appends arrivals until there are at least `count`, none scheduled past `maxOffsetNs`. */
  extendTo(count: number, maxOffsetNs = Number.POSITIVE_INFINITY): void {
    while (this.offsetsNs.length < count && this.#nextOffsetNs <= maxOffsetNs) {
      this.offsetsNs.push(this.#nextOffsetNs);
      this.#nextOffsetNs += Math.trunc(exponential(this.#rng, this.#qps) * 1e9);
    }
  }

  /** LoadGen's rule: appends arrivals until the last one is at or past `offsetNs`. */
  extendPast(offsetNs: number): void {
    while (this.offsetsNs.length === 0 || this.offsetsNs.get(this.offsetsNs.length - 1) < offsetNs) {
      this.offsetsNs.push(this.#nextOffsetNs);
      this.#nextOffsetNs += Math.trunc(exponential(this.#rng, this.#qps) * 1e9);
    }
  }
}

/** Offline's one query: the loaded set repeated, then a remainder (LoadGen: not shuffled). */
export function offlineQueryIndices(set: Int32Array, sampleCount: number): Int32Array {
  const indices = new Int32Array(sampleCount);
  for (let i = 0; i < sampleCount; i++) indices[i] = set[i % set.length]!;
  return indices;
}

/** Accuracy mode: every dataset sample exactly once, in a seeded shuffled order. */
export function accuracyOrder(totalCount: number, seed: string): Int32Array {
  const order = new Int32Array(totalCount);
  for (let i = 0; i < totalCount; i++) order[i] = i;
  shuffleInPlace(new Mt19937(seed), order);
  return order;
}

/** For tests and the detail log: the first `count` queries' sample indices. */
export function drawSampleIndices(stream: SampleIndexStream, count: number): GrowableInt32 {
  const out = new GrowableInt32(count);
  for (let i = 0; i < count; i++) for (const index of stream.next()) out.push(index);
  return out;
}
