import { GrowableFloat64, GrowableInt32, GrowableUint8 } from './growable.js';
import { TokenLog } from './token-log.js';
import type { Clock, ResponseSink, SampleResponse } from './types.js';

/** Per-sample state. Stored as bytes: one per sample. */
export const PENDING = 0;
export const COMPLETED = 1;
export const FAILED = 2;
export const MISSING = 3;

/** What a failure looked like, kept for the detail log (the first few of each run). */
export interface FailureRecord {
  readonly sampleId: number;
  readonly atNs: number;
  readonly message: string;
}

const MAX_FAILURE_RECORDS = 1000;

/**
 * Records one phase of a run (warmup, or the measured window) into preallocated arrays:
 * about 40 bytes per single-sample query, nothing per completion. It is the ResponseSink
 * the SUT completes into; the timestamp is taken first, before any bookkeeping.
 */
export class Recorder implements ResponseSink {
  readonly queryScheduledNs = new GrowableFloat64();
  readonly queryIssuedNs = new GrowableFloat64();
  readonly queryFirstSample = new GrowableInt32();
  readonly #queryRemaining = new GrowableInt32();
  readonly sampleQuery = new GrowableInt32();
  /** Which dataset sample each response id carried (for accuracy and the detail log). */
  readonly sampleDatasetIndex = new GrowableInt32();
  readonly sampleCompletedNs = new GrowableFloat64();
  readonly sampleStatus = new GrowableUint8();
  readonly sampleTokens: GrowableInt32 | null;
  /** Token arrival times per sample (LLM streams); null when the run does not count tokens. */
  readonly tokenLog: TokenLog | null;
  readonly responses: unknown[] | null;
  readonly errorCounts = new Map<string, number>();
  readonly failures: FailureRecord[] = [];

  completedSamples = 0;
  failedSamples = 0;
  missingSamples = 0;
  /** Completions for samples already completed, failed or declared missing. */
  lateOrDuplicateCompletions = 0;
  #doneQueries = 0;

  readonly #clock: Clock;
  #onQueryDone: (queryId: number) => void = () => {};

  constructor(clock: Clock, options: { keepResponses?: boolean; countTokens?: boolean } = {}) {
    this.#clock = clock;
    this.responses = options.keepResponses ? [] : null;
    this.sampleTokens = options.countTokens ? new GrowableInt32() : null;
    this.tokenLog = options.countTokens ? new TokenLog() : null;
  }

  /** Called once per query when all its samples are completed, failed or missing. */
  onQueryDone(listener: (queryId: number) => void): void {
    this.#onQueryDone = listener;
  }

  /**
   * Sizes the arrays for a run whose length is planned (Server): memory then grows by exactly
   * the per-query state, with no doubling copies or spare capacity along the way.
   */
  reserve(queries: number, samplesPerQuery: number): void {
    const samples = queries * samplesPerQuery;
    for (const a of [this.queryScheduledNs, this.queryIssuedNs, this.queryFirstSample, this.#queryRemaining]) a.reserve(queries);
    for (const a of [this.sampleQuery, this.sampleDatasetIndex, this.sampleCompletedNs, this.sampleStatus]) a.reserve(samples);
    this.sampleTokens?.reserve(samples);
  }

  /** Ends the phase's bookkeeping: no more listener, no spare array capacity. */
  seal(): void {
    this.#onQueryDone = () => {};
    for (const a of [this.queryScheduledNs, this.queryIssuedNs, this.queryFirstSample, this.#queryRemaining, this.sampleQuery, this.sampleDatasetIndex, this.sampleCompletedNs, this.sampleStatus]) {
      a.trim();
    }
    this.sampleTokens?.trim();
  }

  get queryCount(): number {
    return this.queryIssuedNs.length;
  }

  get sampleCount(): number {
    return this.sampleStatus.length;
  }

  get doneQueries(): number {
    return this.#doneQueries;
  }

  get outstandingSamples(): number {
    return this.sampleCount - this.completedSamples - this.failedSamples - this.missingSamples;
  }

  /** Allocates ids for a query of `count` samples; returns the query id. */
  addQuery(scheduledNs: number, count: number): number {
    const queryId = this.queryIssuedNs.length;
    const first = this.sampleStatus.length;
    this.queryScheduledNs.push(scheduledNs);
    this.queryIssuedNs.push(Number.NaN);
    this.queryFirstSample.push(first);
    this.#queryRemaining.push(count);
    this.sampleStatus.resize(first + count);
    this.sampleCompletedNs.resize(first + count, Number.NaN);
    for (let i = 0; i < count; i++) this.sampleQuery.push(queryId);
    if (this.sampleTokens) for (let i = 0; i < count; i++) this.sampleTokens.push(0);
    return queryId;
  }

  firstSampleOf(queryId: number): number {
    return this.queryFirstSample.get(queryId);
  }

  sampleCountOf(queryId: number): number {
    const next = queryId + 1 < this.queryFirstSample.length ? this.queryFirstSample.get(queryId + 1) : this.sampleCount;
    return next - this.queryFirstSample.get(queryId);
  }

  markIssued(queryId: number, issuedNs: number, sampleIndices: Int32Array): void {
    this.queryIssuedNs.set(queryId, issuedNs);
    for (let i = 0; i < sampleIndices.length; i++) this.sampleDatasetIndex.push(sampleIndices[i]!);
  }

  complete(sampleId: number, response?: SampleResponse): void {
    const nowNs = this.#clock.nowNs();
    this.#settle(sampleId, COMPLETED, nowNs, response);
  }

  completeRange(firstSampleId: number, count: number, responses?: readonly SampleResponse[]): void {
    const nowNs = this.#clock.nowNs();
    for (let i = 0; i < count; i++) this.#settle(firstSampleId + i, COMPLETED, nowNs, responses?.[i]);
  }

  fail(sampleId: number, error: Error): void {
    const nowNs = this.#clock.nowNs();
    if (!this.#settle(sampleId, FAILED, nowNs, undefined)) return;
    const message = error.message || String(error);
    this.errorCounts.set(message, (this.errorCounts.get(message) ?? 0) + 1);
    if (this.failures.length < MAX_FAILURE_RECORDS) this.failures.push({ sampleId, atNs: nowNs, message });
  }

  tokens(sampleId: number, count: number): void {
    const nowNs = this.#clock.nowNs();
    if (this.tokenLog === null || count <= 0) return;
    if (sampleId < 0 || sampleId >= this.sampleStatus.length || this.sampleStatus.get(sampleId) !== PENDING) return;
    this.tokenLog.record(sampleId, nowNs, count);
  }

  /** Declares every still-pending sample of queries issued before `issuedBeforeNs` missing. */
  expireIssuedBefore(issuedBeforeNs: number, fromQuery = 0): number {
    let expired = 0;
    for (let q = fromQuery; q < this.queryCount; q++) {
      const issued = this.queryIssuedNs.get(q);
      if (!(issued < issuedBeforeNs)) continue;
      expired += this.#expireQuery(q);
    }
    return expired;
  }

  /** Declares every pending sample missing (end of run, abort). */
  expireAll(): number {
    let expired = 0;
    for (let q = 0; q < this.queryCount; q++) expired += this.#expireQuery(q);
    return expired;
  }

  isQueryDone(queryId: number): boolean {
    return this.#queryRemaining.get(queryId) === 0;
  }

  #expireQuery(queryId: number): number {
    if (this.#queryRemaining.get(queryId) === 0) return 0;
    const first = this.queryFirstSample.get(queryId);
    const count = this.sampleCountOf(queryId);
    let expired = 0;
    for (let s = first; s < first + count; s++) {
      if (this.sampleStatus.get(s) !== PENDING) continue;
      this.sampleStatus.set(s, MISSING);
      this.missingSamples++;
      expired++;
    }
    this.#queryRemaining.set(queryId, 0);
    this.#doneQueries++;
    this.#onQueryDone(queryId);
    return expired;
  }

  #settle(sampleId: number, status: number, nowNs: number, response: SampleResponse | undefined): boolean {
    if (sampleId < 0 || sampleId >= this.sampleStatus.length || this.sampleStatus.get(sampleId) !== PENDING) {
      this.lateOrDuplicateCompletions++;
      return false;
    }
    this.sampleStatus.set(sampleId, status);
    this.sampleCompletedNs.set(sampleId, nowNs);
    if (status === COMPLETED) {
      this.completedSamples++;
      if (this.responses && response?.data !== undefined) this.responses[sampleId] = response.data;
      if (this.sampleTokens) this.sampleTokens.set(sampleId, response?.tokens ?? this.tokenLog?.tokensOf(sampleId) ?? 0);
    } else {
      this.failedSamples++;
    }
    const queryId = this.sampleQuery.get(sampleId);
    const remaining = this.#queryRemaining.get(queryId) - 1;
    this.#queryRemaining.set(queryId, remaining);
    if (remaining === 0) {
      this.#doneQueries++;
      this.#onQueryDone(queryId);
    }
    return true;
  }
}
