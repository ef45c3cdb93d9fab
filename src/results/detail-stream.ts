import type { Recorder } from '../loadgen/recorder.js';
import { PENDING } from '../loadgen/recorder.js';
import type { RunPhase } from '../loadgen/run-test.js';

/** Where detail records go (ResultWriter.appendDetail). */
export type DetailSink = (record: object) => void;

/**
 * Streams what a recorder has measured into detail.jsonl, a chunk per flush: the samples and
 * queries settled since the last flush (contiguous from the last written id), new failures and
 * a progress line. Runs on a timer between measurements, never inside them; a crash loses at
 * most one flush interval. Times are ns from the phase's first query.
 */
export class DetailStream {
  readonly #sink: DetailSink;
  #phase: RunPhase | null = null;
  #recorder: Recorder | null = null;
  #sampleCursor = 0;
  #queryCursor = 0;
  #failureCursor = 0;
  #originNs = 0;

  constructor(sink: DetailSink) {
    this.#sink = sink;
  }

  /** A new phase: flush what is left of the old one first. */
  startPhase(phase: RunPhase, recorder: Recorder, nowNs: number): void {
    this.flush(nowNs);
    this.#phase = phase;
    this.#recorder = recorder;
    this.#sampleCursor = 0;
    this.#queryCursor = 0;
    this.#failureCursor = 0;
    this.#originNs = nowNs;
    this.#sink({ type: 'phase', phase, originNs: nowNs });
  }

  flush(nowNs: number): void {
    const r = this.#recorder;
    if (r === null) return;
    const rel = (t: number): number | null => (Number.isFinite(t) ? Math.round(t - this.#originNs) : null);

    const q0 = this.#queryCursor;
    let q1 = q0;
    while (q1 < r.queryCount && r.isQueryDone(q1)) q1++;
    if (q1 > q0) {
      const scheduledNs: (number | null)[] = [];
      const issuedNs: (number | null)[] = [];
      for (let q = q0; q < q1; q++) {
        scheduledNs.push(rel(r.queryScheduledNs.get(q)));
        issuedNs.push(rel(r.queryIssuedNs.get(q)));
      }
      this.#sink({ type: 'queries', phase: this.#phase, firstQuery: q0, scheduledNs, issuedNs });
      this.#queryCursor = q1;
    }

    const s0 = this.#sampleCursor;
    let s1 = s0;
    const issuedSamples = r.sampleDatasetIndex.length;
    while (s1 < issuedSamples && r.sampleStatus.get(s1) !== PENDING) s1++;
    if (s1 > s0) {
      const datasetIndex: number[] = [];
      const completedNs: (number | null)[] = [];
      const status: number[] = [];
      for (let s = s0; s < s1; s++) {
        datasetIndex.push(r.sampleDatasetIndex.get(s));
        completedNs.push(rel(r.sampleCompletedNs.get(s)));
        status.push(r.sampleStatus.get(s));
      }
      this.#sink({ type: 'samples', phase: this.#phase, firstSample: s0, datasetIndex, completedNs, status });
      if (r.tokenLog !== null) this.#writeTokens(r, s0, s1, rel);
      this.#sampleCursor = s1;
    }

    while (this.#failureCursor < r.failures.length) {
      const f = r.failures[this.#failureCursor++]!;
      this.#sink({ type: 'failure', phase: this.#phase, sampleId: f.sampleId, atNs: rel(f.atNs), message: f.message });
    }
    this.#sink({
      type: 'progress',
      phase: this.#phase,
      atNs: rel(nowNs),
      queriesIssued: r.queryCount,
      samplesCompleted: r.completedSamples,
      samplesFailed: r.failedSamples,
      samplesMissing: r.missingSamples,
    });
  }

  /**
   * LLM streams: when each token chunk of the settled samples arrived, failed samples included
   * (a stream that broke keeps what it delivered). One record per flush; samples without tokens
   * are left out.
   */
  #writeTokens(r: Recorder, s0: number, s1: number, rel: (t: number) => number | null): void {
    const streams: { sampleId: number; atNs: (number | null)[]; tokens: number[] }[] = [];
    for (let s = s0; s < s1; s++) {
      const chunks = r.tokenLog!.chunksOf(s);
      if (chunks.length === 0) continue;
      const atNs: (number | null)[] = [];
      const tokens: number[] = [];
      for (let i = 0; i < chunks.length; i += 2) {
        atNs.push(rel(chunks[i]!));
        tokens.push(chunks[i + 1]!);
      }
      streams.push({ sampleId: s, atNs, tokens });
    }
    if (streams.length > 0) this.#sink({ type: 'tokens', phase: this.#phase, streams });
  }
}

/** detail.jsonl status codes, as written in "samples" records. */
export const DETAIL_STATUS_LEGEND = { 1: 'completed', 2: 'failed', 3: 'missing' } as const;
