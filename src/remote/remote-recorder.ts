import { type Parameters, SERVER_TIMING_PARAMETERS } from '../kserve/types.js';
import { GrowableFloat64 } from '../loadgen/growable.js';
import { latencyStats, sortedCopy } from '../loadgen/latency-stats.js';
import { REMOTE_ERROR_KINDS, type RemoteBackendName, type RemoteErrorKind, type RemoteStats } from './types.js';

const TIMING_SOURCE = `response parameters (${SERVER_TIMING_PARAMETERS.queueNs}, ${SERVER_TIMING_PARAMETERS.computeNs})`;

function zeroCounts(): Record<RemoteErrorKind, number> {
  return Object.fromEntries(REMOTE_ERROR_KINDS.map((kind) => [kind, 0])) as Record<RemoteErrorKind, number>;
}

/**
 * What one remote backend measured: counters and per-request timings pushed into growable
 * arrays (no allocation per request once they have grown), sorted only when stats() is asked.
 * Every try is a request; every failed try counts under its kind, retried or not, so
 * requests = successful requests + the sum of errorsByKind. A try sent before the last reset
 * (warmup, calibration) is not counted when it ends after it: sent() returns the epoch to hand
 * back with the outcome.
 */
export class RemoteRecorder {
  readonly #protocol: RemoteBackendName;
  readonly #url: string;
  readonly #model: string;
  #epoch = 0;
  #requests = 0;
  #retries = 0;
  #errors = zeroCounts();
  #serialize = new GrowableFloat64();
  #network = new GrowableFloat64();
  #deserialize = new GrowableFloat64();
  #serverQueue = new GrowableFloat64();
  #serverCompute = new GrowableFloat64();

  constructor(protocol: RemoteBackendName, url: string, model: string) {
    this.#protocol = protocol;
    this.#url = url;
    this.#model = model;
  }

  /** A try handed to the transport; returns the epoch its outcome is reported with. */
  sent(): number {
    this.#requests++;
    return this.#epoch;
  }

  retried(epoch: number): void {
    if (epoch === this.#epoch) this.#retries++;
  }

  failed(kind: RemoteErrorKind, epoch: number): void {
    if (epoch === this.#epoch) this.#errors[kind]++;
  }

  succeeded(epoch: number, serializeNs: number, networkAndServerNs: number, deserializeNs: number, parameters: Parameters): void {
    if (epoch !== this.#epoch) return;
    this.#serialize.push(serializeNs);
    this.#network.push(networkAndServerNs);
    this.#deserialize.push(deserializeNs);
    const queueNs = parameters[SERVER_TIMING_PARAMETERS.queueNs];
    const computeNs = parameters[SERVER_TIMING_PARAMETERS.computeNs];
    // Both or neither, so the two distributions describe the same requests.
    if (typeof queueNs === 'number' && typeof computeNs === 'number' && queueNs >= 0 && computeNs >= 0) {
      this.#serverQueue.push(queueNs);
      this.#serverCompute.push(computeNs);
    }
  }

  reset(): void {
    this.#epoch++;
    this.#requests = 0;
    this.#retries = 0;
    this.#errors = zeroCounts();
    this.#serialize = new GrowableFloat64();
    this.#network = new GrowableFloat64();
    this.#deserialize = new GrowableFloat64();
    this.#serverQueue = new GrowableFloat64();
    this.#serverCompute = new GrowableFloat64();
  }

  stats(): RemoteStats {
    return {
      protocol: this.#protocol,
      url: this.#url,
      model: this.#model,
      requests: this.#requests,
      retries: this.#retries,
      errorsByKind: { ...this.#errors },
      serializeNs: latencyStats(sortedCopy(this.#serialize.view())),
      networkAndServerNs: latencyStats(sortedCopy(this.#network.view())),
      deserializeNs: latencyStats(sortedCopy(this.#deserialize.view())),
      serverQueueNs: latencyStats(sortedCopy(this.#serverQueue.view())),
      serverComputeNs: latencyStats(sortedCopy(this.#serverCompute.view())),
      serverTimingSource: this.#timingSource(),
    };
  }

  #timingSource(): string {
    const succeeded = this.#network.length;
    const timed = this.#serverQueue.length;
    if (succeeded === 0) return 'no successful request to read server timing from';
    if (timed === 0) return `the server sent no per-request timing (no ${SERVER_TIMING_PARAMETERS.queueNs} / ${SERVER_TIMING_PARAMETERS.computeNs} response parameters)`;
    if (timed === succeeded) return TIMING_SOURCE;
    return `${TIMING_SOURCE}, in ${timed} of ${succeeded} responses`;
  }
}
