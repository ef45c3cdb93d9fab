import type { InferRequest, InferResponse, ModelMetadata, WireTensor } from '../kserve/types.js';
import { SERVER_TIMING_PARAMETERS } from '../kserve/types.js';
import type { Clock } from '../loadgen/types.js';
import { DynamicBatcher } from './dynamic-batcher.js';
import { type ValidatedRequest, validateRequest } from './request-validation.js';
import { ServeError } from './serve-error.js';
import { ServerStats, type StatsSnapshot } from './server-stats.js';
import type { BatchPolicy, ServedModel } from './types.js';

export const MODEL_VERSION = '1';

/** A model named in a request path or message; version null or '' = the server's choice. */
export interface ModelTarget {
  readonly name: string;
  readonly version: string | null;
}

export type ModelState = 'LOADING' | 'READY' | 'UNAVAILABLE';

/** What the server is doing right now, besides the counters. */
export interface ServerStatus extends StatsSnapshot {
  readonly state: ModelState;
  readonly queuedRequests: number;
  readonly executing: boolean;
  /** Batches the batcher formed, by rows (failed executions included). */
  readonly batchSizes: Readonly<Record<string, number>>;
}

type Phase = 'loading' | 'warming' | 'ready' | 'failed';

type Batcher = DynamicBatcher<readonly WireTensor[], readonly WireTensor[]>;

/** What exists once the model has loaded. */
interface Served {
  readonly model: ServedModel;
  readonly policy: BatchPolicy;
  readonly batcher: Batcher;
}

/**
 * The transport-independent server: one model, its readiness, its batcher and its counters.
 * HTTP and gRPC hand it a decode and an encode function and map its ServeErrors to statuses.
 */
export class InferenceCore {
  readonly name: string;
  readonly #clock: Clock;
  readonly #maxQueue: number;
  readonly #stats = new ServerStats();
  #served: Served | null = null;
  #phase: Phase = 'loading';
  #failure = '';
  #draining = false;

  constructor(name: string, clock: Clock, maxQueue: number) {
    this.name = name;
    this.#clock = clock;
    this.#maxQueue = maxQueue;
  }

  nowNs(): number {
    return this.#clock.nowNs();
  }

  get ready(): boolean {
    return this.#phase === 'ready' && !this.#draining;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** Why the model is not ready, for 503 bodies. */
  get notReadyReason(): string {
    if (this.#draining) return 'the server is shutting down';
    const reasons = {
      loading: 'loading the model',
      warming: 'warming up the model',
      ready: 'ready',
      failed: `the model failed to load: ${this.#failure}`,
    } as const satisfies Record<Phase, string>;
    return reasons[this.#phase];
  }

  /** The model is loaded: metadata can be served; inference waits for markReady. */
  attach(model: ServedModel, policy: BatchPolicy): void {
    this.#phase = 'warming';
    const batcher: Batcher = new DynamicBatcher(
      this.#clock,
      { policy, maxQueue: this.#maxQueue, concurrency: model.instances ?? 1 },
      (payloads, rows) => model.execute(payloads, rows),
      (rows, _computeNs, execution) => {
        if (execution !== null) this.#stats.recordBatch(rows, execution);
      },
    );
    this.#served = { model, policy, batcher };
  }

  markReady(): void {
    this.#phase = 'ready';
  }

  markFailed(reason: string): void {
    this.#phase = 'failed';
    this.#failure = reason;
  }

  /** Refuses new inferences; resolves once everything queued or executing has finished. */
  drain(): Promise<void> {
    this.#draining = true;
    return this.#served?.batcher.close() ?? Promise.resolve();
  }

  /** Throws NOT_FOUND unless the target names this server's model and version. */
  assertServes(target: ModelTarget): void {
    if (target.name !== this.name) throw new ServeError('not-found', `unknown model '${target.name}' (this server serves '${this.name}')`);
    if (target.version !== null && target.version !== '' && target.version !== MODEL_VERSION) {
      throw new ServeError('not-found', `model '${this.name}' has no version '${target.version}' (it has: ${MODEL_VERSION})`);
    }
  }

  metadata(target: ModelTarget): ModelMetadata {
    this.assertServes(target);
    if (this.#served === null) throw new ServeError('unavailable', `model '${this.name}' is not loaded yet (${this.notReadyReason})`);
    return this.#served.model.metadata;
  }

  state(): ModelState {
    if (this.ready) return 'READY';
    return !this.#draining && (this.#phase === 'loading' || this.#phase === 'warming') ? 'LOADING' : 'UNAVAILABLE';
  }

  /**
   * One inference: check the target and readiness, decode, validate, queue, encode. Every
   * outcome for this model is counted; an error throws a ServeError for the transport to map.
   */
  async infer<T>(
    target: ModelTarget,
    receivedNs: number,
    decode: () => InferRequest,
    encode: (response: InferResponse, request: InferRequest) => T,
  ): Promise<T> {
    this.assertServes(target);
    const served = this.#served;
    if (!this.ready || served === null) throw new ServeError('unavailable', `model '${this.name}' is not ready: ${this.notReadyReason}`);
    let request: InferRequest;
    let valid: ValidatedRequest;
    try {
      request = decode();
      valid = validateRequest(request, served.model.metadata, served.model.dynamicBatch, served.policy.maxBatchRows);
    } catch (error) {
      this.#stats.recordFailure(this.#clock.nowNs() - receivedNs);
      throw error;
    }
    const outcome = await served.batcher.submit({ rows: valid.rows, shapeKey: valid.shapeKey, payload: valid.inputs });
    switch (outcome.state) {
      case 'refused':
        if (outcome.reason === 'closed') throw new ServeError('unavailable', `model '${this.name}' is not ready: ${this.notReadyReason}`);
        this.#stats.recordRefusal();
        throw new ServeError('queue-full', `the server's queue is full (${this.#maxQueue} requests waiting, --max-queue); retry later`);
      case 'failed':
        this.#stats.recordFailure(this.#clock.nowNs() - receivedNs);
        throw new ServeError('internal', `inference failed: ${outcome.error.message}`);
      case 'done': {
        const { timing } = outcome;
        const response: InferResponse = {
          modelName: this.name,
          modelVersion: MODEL_VERSION,
          id: request.id,
          outputs: valid.outputIndices.map((i) => outcome.output[i]!),
          parameters: {
            [SERVER_TIMING_PARAMETERS.queueNs]: timing.queueNs,
            [SERVER_TIMING_PARAMETERS.computeNs]: timing.computeNs,
            [SERVER_TIMING_PARAMETERS.batchSize]: timing.batchRows,
          },
        };
        const encodeStartNs = this.#clock.nowNs();
        let encoded: T;
        try {
          encoded = encode(response, request);
        } catch (error) {
          this.#stats.recordFailure(this.#clock.nowNs() - receivedNs);
          throw error;
        }
        const endNs = this.#clock.nowNs();
        this.#stats.recordSuccess(valid.rows, timing, endNs - encodeStartNs, endNs - receivedNs);
        return encoded;
      }
    }
  }

  status(): ServerStatus {
    const batcher = this.#served?.batcher;
    return {
      ...this.#stats.snapshot(),
      state: this.state(),
      queuedRequests: batcher?.queuedRequests ?? 0,
      executing: batcher?.executing ?? false,
      batchSizes: Object.fromEntries([...(batcher?.batchSizes() ?? new Map<number, number>()).entries()].sort(([a], [b]) => a - b).map(([k, v]) => [String(k), v])),
    };
  }

  /** The model, for the server to dispose of once drained (null if it never loaded). */
  get model(): ServedModel | null {
    return this.#served?.model ?? null;
  }
}
