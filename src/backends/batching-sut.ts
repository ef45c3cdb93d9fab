import type { Clock, Query, ResponseSink, SampleResponse, SystemUnderTest } from '../loadgen/types.js';
import type { BatchOutputs, InferenceBackend, SampleFeeds } from './types.js';

export interface BatchingOptions {
  /** Samples per backend call at most (1 when the model's batch dimension is fixed). */
  readonly maxBatchSize: number;
  /** Backend calls in flight at once. */
  readonly maxInFlight: number;
  /**
   * How long a partial batch may wait for more samples before it is sent anyway. 0: send at
   * once (the wait, when > 0, counts in latency, as it would in a real server).
   */
  readonly batchWindowNs: number;
}

/** Turns a backend's output row into what accuracy needs (e.g. the top-1 class). */
export type Postprocess = (outputs: BatchOutputs, row: number) => unknown;

/** The queue holds whole queries; batches take samples from its front. */
interface Segment {
  readonly sink: ResponseSink;
  readonly firstSampleId: number;
  readonly indices: Int32Array;
  taken: number;
  readonly enqueuedNs: number;
}

/**
 * Adapts an InferenceBackend into a SystemUnderTest: queues issued samples and sends them in
 * batches, with at most `maxInFlight` calls outstanding. Time spent queued here is latency.
 */
export class BatchingSut implements SystemUnderTest {
  readonly name: string;
  readonly #backend: InferenceBackend;
  readonly #feeds: (index: number) => SampleFeeds;
  readonly #clock: Clock;
  readonly #options: BatchingOptions;
  #postprocess: Postprocess | null = null;
  readonly #queue: Segment[] = [];
  #queueHead = 0;
  #queuedSamples = 0;
  #inFlight = 0;
  #windowTimer = -1;
  /** Single-sample calls sent by the fast path, counted apart to keep it cheap. */
  #singles = 0;
  readonly #batchSizes = new Map<number, number>();
  /** Queries that found every call slot busy and had to wait here. */
  #heldBack = 0;

  /** Batch sizes sent, for the result: size -> count. */
  batchSizes(): Map<number, number> {
    const sizes = new Map(this.#batchSizes);
    if (this.#singles > 0) sizes.set(1, (sizes.get(1) ?? 0) + this.#singles);
    return sizes;
  }

  /**
   * Queries that arrived while `maxInFlight` calls were outstanding and so waited in this queue.
   * For a remote server that is the client's cap holding load back, not the server queueing.
   */
  heldBackQueries(): number {
    return this.#heldBack;
  }

  /** Forget the batches sent so far (warmup, calibration): the result reports the measured window. */
  resetBatchSizes(): void {
    this.#batchSizes.clear();
    this.#singles = 0;
    this.#heldBack = 0;
  }

  constructor(backend: InferenceBackend, feeds: (index: number) => SampleFeeds, clock: Clock, options: BatchingOptions) {
    this.name = backend.description.name;
    this.#backend = backend;
    this.#feeds = feeds;
    this.#clock = clock;
    this.#options = options;
  }

  /** Set in accuracy mode: responses then carry the post-processed output. */
  setPostprocess(postprocess: Postprocess | null): void {
    this.#postprocess = postprocess;
  }

  issueQuery(query: Query, sink: ResponseSink): void {
    const { maxBatchSize, maxInFlight, batchWindowNs } = this.#options;
    if (query.count === 1 && this.#queuedSamples === 0 && this.#inFlight < maxInFlight && (maxBatchSize === 1 || batchWindowNs === 0)) {
      // The common single-sample case, with nothing queued: straight to the backend, no queue.
      this.#sendOne(sink, query.firstSampleId, query.sampleIndices[0]!);
      return;
    }
    if (this.#inFlight >= maxInFlight) this.#heldBack++;
    this.#queue.push({
      sink,
      firstSampleId: query.firstSampleId,
      indices: query.sampleIndices,
      taken: 0,
      // Only a batch window needs to know how long a sample has waited.
      enqueuedNs: batchWindowNs > 0 ? this.#clock.nowNs() : 0,
    });
    this.#queuedSamples += query.count;
    this.#pump();
  }

  flushQueries(): void {
    this.#pump(true);
  }

  #pump(flush = false): void {
    const { maxBatchSize, maxInFlight, batchWindowNs } = this.#options;
    while (this.#inFlight < maxInFlight && this.#queuedSamples > 0) {
      if (!flush && batchWindowNs > 0 && this.#queuedSamples < maxBatchSize) {
        const oldest = this.#queue[this.#queueHead]!;
        const sendAtNs = oldest.enqueuedNs + batchWindowNs;
        if (this.#clock.nowNs() < sendAtNs) {
          if (this.#windowTimer < 0) {
            this.#windowTimer = this.#clock.at(sendAtNs, () => {
              this.#windowTimer = -1;
              this.#pump(true);
            });
          }
          return;
        }
      }
      this.#sendBatch(Math.min(maxBatchSize, this.#queuedSamples));
    }
  }

  #sendBatch(size: number): void {
    const parts: { sink: ResponseSink; firstSampleId: number; count: number }[] = [];
    const feeds: SampleFeeds[] = new Array(size);
    let filled = 0;
    while (filled < size) {
      const segment = this.#queue[this.#queueHead]!;
      const count = Math.min(size - filled, segment.indices.length - segment.taken);
      for (let i = 0; i < count; i++) feeds[filled + i] = this.#feeds(segment.indices[segment.taken + i]!);
      parts.push({ sink: segment.sink, firstSampleId: segment.firstSampleId + segment.taken, count });
      segment.taken += count;
      filled += count;
      if (segment.taken === segment.indices.length) this.#advanceQueue();
    }
    this.#queuedSamples -= size;
    this.#inFlight++;
    this.#batchSizes.set(size, (this.#batchSizes.get(size) ?? 0) + 1);
    this.#backend.infer(feeds).then(
      (outputs) => {
        this.#inFlight--;
        let row = 0;
        for (const part of parts) {
          part.sink.completeRange(part.firstSampleId, part.count, this.#responses(outputs, row, part.count));
          row += part.count;
        }
        this.#pump();
      },
      (error: unknown) => {
        this.#inFlight--;
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const part of parts) for (let i = 0; i < part.count; i++) part.sink.fail(part.firstSampleId + i, failure);
        this.#pump();
      },
    );
  }

  #sendOne(sink: ResponseSink, sampleId: number, index: number): void {
    this.#inFlight++;
    this.#singles++;
    this.#backend.infer([this.#feeds(index)]).then(
      (outputs) => {
        this.#inFlight--;
        const postprocess = this.#postprocess;
        sink.complete(sampleId, postprocess === null ? undefined : { data: postprocess(outputs, 0) });
        if (this.#queuedSamples > 0) this.#pump();
      },
      (error: unknown) => {
        this.#inFlight--;
        sink.fail(sampleId, error instanceof Error ? error : new Error(String(error)));
        if (this.#queuedSamples > 0) this.#pump();
      },
    );
  }

  #responses(outputs: BatchOutputs, firstRow: number, count: number): SampleResponse[] | undefined {
    const postprocess = this.#postprocess;
    if (postprocess === null) return undefined;
    const responses: SampleResponse[] = new Array(count);
    for (let i = 0; i < count; i++) responses[i] = { data: postprocess(outputs, firstRow + i) };
    return responses;
  }

  #advanceQueue(): void {
    this.#queueHead++;
    // Compact now and then so the queue array does not grow for the whole run.
    if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#queueHead);
      this.#queueHead = 0;
    }
  }
}
