import { exponential, Mt19937 } from '../loadgen/rng.js';
import type { Clock, Query, ResponseSink, SystemUnderTest } from '../loadgen/types.js';

export type ServiceTimeDistribution = 'constant' | 'exponential';

export interface NullSutOptions {
  /** Mean service time per sample. 0 with 'constant': every sample completes inside issueQuery. */
  readonly serviceTimeNs: number;
  readonly distribution: ServiceTimeDistribution;
  /** Samples served at once: a FIFO queue with this many servers (1: an M/D/1 or M/M/1 queue). */
  readonly concurrency: number;
  /** Seed of the exponential service times. */
  readonly seed: string;
  /** A one-off synchronous block of the issue path, to show that a hiccup is charged to latency. */
  readonly block: { readonly durationNs: number; readonly atNs: number } | null;
}

interface Job {
  readonly sink: ResponseSink;
  readonly sampleId: number;
}

/**
 * A system under test with no model: a k-server FIFO queue with known service times, so its
 * latencies are what queueing theory predicts. It measures the harness itself, and makes the
 * load generator's tests exact under a virtual clock.
 */
export class NullSut implements SystemUnderTest {
  readonly name = 'null';
  readonly #clock: Clock;
  readonly #options: NullSutOptions;
  readonly #rng: Mt19937;
  readonly #waiting: Job[] = [];
  #waitingHead = 0;
  #busy = 0;
  #originNs: number | null = null;
  #blocked = false;

  constructor(clock: Clock, options: NullSutOptions) {
    if (!(options.concurrency >= 1)) throw new RangeError('null backend: concurrency must be at least 1');
    if (!(options.serviceTimeNs >= 0)) throw new RangeError('null backend: service time must be >= 0');
    this.#clock = clock;
    this.#options = options;
    this.#rng = new Mt19937(options.seed);
  }

  /** The block's `atNs` counts from here (the load generator's measured phase start). */
  markMeasuredStart(): void {
    this.#originNs = this.#clock.nowNs();
  }

  issueQuery(query: Query, sink: ResponseSink): void {
    this.#maybeBlock();
    const { serviceTimeNs, distribution } = this.#options;
    if (serviceTimeNs === 0 && distribution === 'constant') {
      sink.completeRange(query.firstSampleId, query.count);
      return;
    }
    for (let i = 0; i < query.count; i++) this.#waiting.push({ sink, sampleId: query.firstSampleId + i });
    this.#dispatch();
  }

  flushQueries(): void {}

  #maybeBlock(): void {
    const block = this.#options.block;
    if (block === null || this.#blocked) return;
    const now = this.#clock.nowNs();
    this.#originNs ??= now;
    if (now - this.#originNs < block.atNs) return;
    this.#blocked = true;
    this.#clock.blockFor(block.durationNs);
  }

  #serviceTimeNs(): number {
    const { serviceTimeNs, distribution } = this.#options;
    if (distribution === 'constant') return serviceTimeNs;
    return Math.round(exponential(this.#rng, 1 / serviceTimeNs));
  }

  #dispatch(): void {
    while (this.#busy < this.#options.concurrency && this.#waitingHead < this.#waiting.length) {
      const job = this.#waiting[this.#waitingHead++]!;
      this.#busy++;
      this.#clock.at(this.#clock.nowNs() + this.#serviceTimeNs(), () => {
        this.#busy--;
        job.sink.complete(job.sampleId);
        this.#dispatch();
      });
    }
    if (this.#waitingHead > 4096 && this.#waitingHead * 2 > this.#waiting.length) {
      this.#waiting.splice(0, this.#waitingHead);
      this.#waitingHead = 0;
    }
  }
}
