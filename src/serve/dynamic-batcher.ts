import type { Clock } from '../loadgen/types.js';
import { decideBatch } from './batch-policy.js';
import type { BatchPolicy, Execution, RequestTiming } from './types.js';

/** What the batcher needs to know of a request: its rows, and which requests it may share a batch with. */
export interface BatchItem<In> {
  readonly rows: number;
  /** Requests batch together only when their keys match (e.g. the same sequence length). */
  readonly shapeKey: string;
  readonly payload: In;
}

export type BatchOutcome<Out> =
  | { readonly state: 'done'; readonly output: Out; readonly timing: RequestTiming }
  | { readonly state: 'refused'; readonly reason: 'queue-full' | 'closed' }
  | { readonly state: 'failed'; readonly error: Error };

export type BatchExecution<Out> = Omit<Execution, 'outputs'> & { readonly outputs: readonly Out[] };

/** Runs one batch: the payloads in queue order and their total rows. */
export type BatchExecutor<In, Out> = (payloads: readonly In[], rows: number) => Promise<BatchExecution<Out>>;

/** Told of every batch when it finishes (ok: false when the execution failed). */
export type BatchObserver = (rows: number, computeNs: number, execution: Omit<Execution, 'outputs'> | null) => void;

export interface BatcherOptions {
  readonly policy: BatchPolicy;
  /** Requests waiting (not executing) at most; one more is refused at once. 0 = no limit. */
  readonly maxQueue: number;
  /** Batches executing at once: the model's instances (default 1). */
  readonly concurrency?: number;
}

interface Pending<In, Out> {
  readonly item: BatchItem<In>;
  readonly arrivalNs: number;
  readonly resolve: (outcome: BatchOutcome<Out>) => void;
}

/**
 * The server's request queue: FIFO, batches formed by `decideBatch`, as many executions at a
 * time as the model has instances (one for a session on the main thread: onnxruntime-node runs
 * it synchronously). A batch is formed only when an instance is free, so requests wait in the
 * queue, where they can still join a larger batch. Never throws at a caller: every request
 * gets an outcome.
 */
export class DynamicBatcher<In, Out> {
  readonly #clock: Clock;
  readonly #options: BatcherOptions;
  readonly #execute: BatchExecutor<In, Out>;
  readonly #observe: BatchObserver | null;
  #queue: Pending<In, Out>[] = [];
  #head = 0;
  #running = 0;
  readonly #concurrency: number;
  #timer = -1;
  #closed = false;
  #idleWaiters: (() => void)[] = [];
  /** Batch rows -> batches formed, failed ones included. */
  readonly #batchSizes = new Map<number, number>();

  constructor(clock: Clock, options: BatcherOptions, execute: BatchExecutor<In, Out>, observe: BatchObserver | null = null) {
    this.#clock = clock;
    this.#options = options;
    this.#execute = execute;
    this.#observe = observe;
    this.#concurrency = Math.max(1, options.concurrency ?? 1);
  }

  get queuedRequests(): number {
    return this.#queue.length - this.#head;
  }

  get executing(): boolean {
    return this.#running > 0;
  }

  batchSizes(): ReadonlyMap<number, number> {
    return this.#batchSizes;
  }

  submit(item: BatchItem<In>): Promise<BatchOutcome<Out>> {
    if (this.#closed) return Promise.resolve({ state: 'refused', reason: 'closed' });
    const { maxQueue } = this.#options;
    if (maxQueue > 0 && this.queuedRequests >= maxQueue) return Promise.resolve({ state: 'refused', reason: 'queue-full' });
    return new Promise((resolve) => {
      this.#queue.push({ item, arrivalNs: this.#clock.nowNs(), resolve });
      this.#pump();
    });
  }

  /** Refuses new requests, sends what is queued without waiting out the window, resolves when idle. */
  close(): Promise<void> {
    this.#closed = true;
    this.#pump();
    if (this.#running === 0 && this.queuedRequests === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #pump(): void {
    while (this.#running < this.#concurrency && this.queuedRequests > 0) {
      if (this.#timer !== -1) {
        this.#clock.cancel(this.#timer);
        this.#timer = -1;
      }
      const decision = decideBatch(this.#view(), this.#options.policy);
      if (decision.kind === 'wait') {
        this.#timer = this.#clock.at(decision.untilNs, this.#onTimer);
        return;
      }
      void this.#run(this.#take(decision.requests));
    }
  }

  readonly #onTimer = (): void => {
    this.#timer = -1;
    this.#pump();
  };

  /** The rows of the requests that could join the oldest in one batch (no more than could ever fit). */
  #view() {
    const oldest = this.#queue[this.#head]!;
    const rows: number[] = [];
    let blocked = false;
    const limit = Math.min(this.#queue.length, this.#head + this.#options.policy.maxBatchRows + 1);
    for (let i = this.#head; i < limit; i++) {
      const p = this.#queue[i]!;
      if (p.item.shapeKey !== oldest.item.shapeKey) {
        blocked = true;
        break;
      }
      rows.push(p.item.rows);
    }
    return { rows, blocked, oldestArrivalNs: oldest.arrivalNs, nowNs: this.#clock.nowNs(), flush: this.#closed };
  }

  #take(count: number): Pending<In, Out>[] {
    const batch = this.#queue.slice(this.#head, this.#head + count);
    this.#head += count;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return batch;
  }

  async #run(batch: readonly Pending<In, Out>[]): Promise<void> {
    this.#running++;
    const rows = batch.reduce((n, p) => n + p.item.rows, 0);
    this.#batchSizes.set(rows, (this.#batchSizes.get(rows) ?? 0) + 1);
    const startNs = this.#clock.nowNs();
    const result = await this.#attempt(batch, rows);
    const computeNs = this.#clock.nowNs() - startNs;
    if (result instanceof Error) {
      for (const p of batch) p.resolve({ state: 'failed', error: result });
      this.#observe?.(rows, computeNs, null);
    } else {
      const execution = { inputNs: result.inputNs, inferNs: result.inferNs, outputNs: result.outputNs };
      batch.forEach((p, i) => {
        const timing: RequestTiming = { queueNs: startNs - p.arrivalNs, computeNs, batchRows: rows, execution };
        p.resolve({ state: 'done', output: result.outputs[i]!, timing });
      });
      this.#observe?.(rows, computeNs, execution);
    }
    this.#running--;
    this.#pump();
    if (this.#running === 0 && this.queuedRequests === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  /** The execution, or why it failed (a rejection, or a model that lost track of its requests). */
  async #attempt(batch: readonly Pending<In, Out>[], rows: number): Promise<BatchExecution<Out> | Error> {
    try {
      const result = await this.#execute(
        batch.map((p) => p.item.payload),
        rows,
      );
      if (result.outputs.length === batch.length) return result;
      return new Error(`the model returned outputs for ${result.outputs.length} requests, but the batch had ${batch.length}`);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }
}
