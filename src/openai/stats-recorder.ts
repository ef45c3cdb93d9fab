import { GrowableFloat64 } from '../loadgen/growable.js';
import { latencyStats, sortedCopy } from '../loadgen/latency-stats.js';
import { REMOTE_ERROR_KINDS, type RemoteErrorKind } from '../remote/types.js';
import type { StreamReader } from './stream-reader.js';
import type { OpenAiStats } from './types.js';

function zeroCounts(): Record<RemoteErrorKind, number> {
  return Object.fromEntries(REMOTE_ERROR_KINDS.map((kind) => [kind, 0])) as Record<RemoteErrorKind, number>;
}

/**
 * The client's counters since the last reset. A request sent before a reset (warmup) is not
 * counted when it ends after it: sent() returns the epoch to hand back with the outcome.
 */
export class OpenAiStatsRecorder {
  #epoch = 0;
  #requests = 0;
  #errors = zeroCounts();
  #streamsBroken = 0;
  #queueWaitNs = new GrowableFloat64(16);
  #promptTokens: number | null = null;
  #usageReported = 0;
  #finishReasons: Record<string, number> = {};
  #chunksWithSeveralTokens = 0;

  sent(): number {
    this.#requests++;
    return this.#epoch;
  }

  /** A request left the client FIFO after waiting this long for a free slot. */
  dequeued(waitNs: number): void {
    this.#queueWaitNs.push(waitNs);
  }

  completed(epoch: number, stream: StreamReader): void {
    if (epoch !== this.#epoch) return;
    this.#streamFacts(stream);
    const reason = stream.finishReason ?? 'none';
    this.#finishReasons[reason] = (this.#finishReasons[reason] ?? 0) + 1;
  }

  failed(epoch: number, kind: RemoteErrorKind, stream: StreamReader): void {
    if (epoch !== this.#epoch) return;
    this.#streamFacts(stream);
    this.#errors[kind]++;
    if (stream.tokensCounted > 0) this.#streamsBroken++;
  }

  #streamFacts(stream: StreamReader): void {
    if (stream.usageSeen) this.#usageReported++;
    if (stream.promptTokens !== null) this.#promptTokens = (this.#promptTokens ?? 0) + stream.promptTokens;
    this.#chunksWithSeveralTokens += stream.chunksWithSeveralTokens;
  }

  reset(): void {
    this.#epoch++;
    this.#requests = 0;
    this.#errors = zeroCounts();
    this.#streamsBroken = 0;
    this.#queueWaitNs = new GrowableFloat64(16);
    this.#promptTokens = null;
    this.#usageReported = 0;
    this.#finishReasons = {};
    this.#chunksWithSeveralTokens = 0;
  }

  stats(): OpenAiStats {
    return {
      requests: this.#requests,
      errorsByKind: { ...this.#errors },
      streamsBroken: this.#streamsBroken,
      clientQueued: this.#queueWaitNs.length,
      clientQueueNs: latencyStats(sortedCopy(this.#queueWaitNs.view())),
      promptTokensReported: this.#promptTokens,
      usageReported: this.#usageReported,
      finishReasons: { ...this.#finishReasons },
      chunksWithSeveralTokens: this.#chunksWithSeveralTokens,
    };
  }
}
