/**
 * Per-sample token arrival times of LLM streams: for each sample, the chunks that carried
 * output tokens as (time, token count) pairs, in arrival order. Kept for failed samples too,
 * so the detail log shows how far a broken stream got. Only runs that count tokens have one.
 */
export class TokenLog {
  /** chunks[sampleId] = [t0, n0, t1, n1, ...] (ns, tokens). */
  readonly #chunks: (number[] | undefined)[] = [];

  record(sampleId: number, atNs: number, count: number): void {
    let list = this.#chunks[sampleId];
    if (list === undefined) {
      list = [];
      this.#chunks[sampleId] = list;
    }
    list.push(atNs, count);
  }

  /** Flat (time, tokens) pairs of one sample; empty when no token came. */
  chunksOf(sampleId: number): readonly number[] {
    return this.#chunks[sampleId] ?? [];
  }

  firstTokenNs(sampleId: number): number {
    return this.#chunks[sampleId]?.[0] ?? Number.NaN;
  }

  tokensOf(sampleId: number): number {
    const list = this.#chunks[sampleId];
    let total = 0;
    if (list !== undefined) for (let i = 1; i < list.length; i += 2) total += list[i]!;
    return total;
  }
}
