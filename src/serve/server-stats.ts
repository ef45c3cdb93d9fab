import type { Execution, RequestTiming } from './types.js';

/** A count and the total nanoseconds they took (Triton's StatisticDuration). */
export interface Duration {
  readonly count: number;
  readonly ns: number;
}

/** Executions of one batch size that succeeded, and their time. */
export interface BatchStat {
  readonly batchRows: number;
  readonly count: number;
  readonly inputNs: number;
  readonly inferNs: number;
  readonly outputNs: number;
}

/** Everything the server has counted since it became ready. Warmup is not in it. */
export interface StatsSnapshot {
  /** Requests answered, from the request received to its response encoded. */
  readonly success: Duration;
  /** Requests for the model that failed: invalid, or the runtime failed (refusals are apart). */
  readonly fail: Duration;
  /** Per successful request: time queued, and its batch's input, infer and output time (plus its own encoding). */
  readonly queue: Duration;
  readonly computeInput: Duration;
  readonly computeInfer: Duration;
  readonly computeOutput: Duration;
  /** Rows inferred (a request of 8 rows counts 8), as Triton counts inferences. */
  readonly inferenceCount: number;
  /** Successful executions (batches). */
  readonly executionCount: number;
  /** Milliseconds since the epoch of the last successful request; 0 = none yet. */
  readonly lastInferenceMs: number;
  /** Requests refused at once because the queue was full. */
  readonly refused: number;
  readonly batches: readonly BatchStat[];
}

interface MutableDuration {
  count: number;
  ns: number;
}

interface MutableBatchStat {
  count: number;
  inputNs: number;
  inferNs: number;
  outputNs: number;
}

/** Counters the transports and the batcher feed; plain additions, no allocation per request. */
export class ServerStats {
  readonly #success = duration();
  readonly #fail = duration();
  readonly #queue = duration();
  readonly #computeInput = duration();
  readonly #computeInfer = duration();
  readonly #computeOutput = duration();
  #inferenceCount = 0;
  #executionCount = 0;
  #lastInferenceMs = 0;
  #refused = 0;
  readonly #batches = new Map<number, MutableBatchStat>();

  recordBatch(rows: number, execution: Omit<Execution, 'outputs'>): void {
    this.#executionCount++;
    let stat = this.#batches.get(rows);
    if (stat === undefined) {
      stat = { count: 0, inputNs: 0, inferNs: 0, outputNs: 0 };
      this.#batches.set(rows, stat);
    }
    stat.count++;
    stat.inputNs += execution.inputNs;
    stat.inferNs += execution.inferNs;
    stat.outputNs += execution.outputNs;
  }

  /** `encodeNs`: this request's response encoding, which Triton counts in compute_output. */
  recordSuccess(rows: number, timing: RequestTiming, encodeNs: number, totalNs: number): void {
    add(this.#success, totalNs);
    add(this.#queue, timing.queueNs);
    add(this.#computeInput, timing.execution.inputNs);
    add(this.#computeInfer, timing.execution.inferNs);
    add(this.#computeOutput, timing.execution.outputNs + encodeNs);
    this.#inferenceCount += rows;
    this.#lastInferenceMs = Date.now();
  }

  recordFailure(totalNs: number): void {
    add(this.#fail, totalNs);
  }

  recordRefusal(): void {
    this.#refused++;
  }

  snapshot(): StatsSnapshot {
    return {
      success: { ...this.#success },
      fail: { ...this.#fail },
      queue: { ...this.#queue },
      computeInput: { ...this.#computeInput },
      computeInfer: { ...this.#computeInfer },
      computeOutput: { ...this.#computeOutput },
      inferenceCount: this.#inferenceCount,
      executionCount: this.#executionCount,
      lastInferenceMs: this.#lastInferenceMs,
      refused: this.#refused,
      batches: [...this.#batches.entries()].sort(([a], [b]) => a - b).map(([batchRows, s]) => ({ batchRows, ...s })),
    };
  }
}

function duration(): MutableDuration {
  return { count: 0, ns: 0 };
}

function add(d: MutableDuration, ns: number): void {
  d.count++;
  d.ns += ns;
}
