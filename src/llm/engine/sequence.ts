/**
 * One generation as the engine tracks it: its request, its cache once prefilled, and the
 * callbacks guarded so that each sequence ends exactly once and a throwing callback cannot
 * break the engine's loop.
 */

import type { SequenceCache } from './sequence-cache.js';
import type { FinishReason, GenerationRequest } from './types.js';

export type SequenceState = 'waiting' | 'running' | 'done';
export type SequenceOutcome = 'finished' | 'failed' | 'cancelled';

export class Sequence {
  readonly request: GenerationRequest;
  readonly prompt: Int32Array;
  readonly submittedAtMs: number;
  state: SequenceState = 'waiting';
  cache: SequenceCache | null = null;
  /** The last generated token: the input of the next decode step. */
  lastToken = 0;
  generated = 0;
  outcome: SequenceOutcome | null = null;

  constructor(request: GenerationRequest, prompt: Int32Array, submittedAtMs: number) {
    this.request = request;
    this.prompt = prompt;
    this.submittedAtMs = submittedAtMs;
  }

  get done(): boolean {
    return this.state === 'done';
  }

  /**
   * Hands a generated token to the request (an end-of-sequence token that stops generation is
   * not handed over) and ends the sequence when it is the last. Returns whether the token
   * was delivered.
   */
  accept(token: number, eosId: number): boolean {
    if (this.done) return false;
    if (this.request.stopAtEos && token === eosId) {
      this.finish('stop');
      return false;
    }
    this.lastToken = token;
    this.generated++;
    try {
      this.request.onToken(token);
    } catch (error) {
      this.fail(asError(error, 'onToken threw'));
      return true;
    }
    if (this.generated >= this.request.maxTokens) this.finish('length');
    return true;
  }

  finish(reason: FinishReason): void {
    if (this.done) return;
    this.state = 'done';
    this.outcome = 'finished';
    try {
      this.request.onFinish(reason);
    } catch {
      // The sequence is over either way; a throwing listener must not stop the others.
    }
  }

  fail(error: Error): void {
    if (this.done) return;
    this.state = 'done';
    this.outcome = 'failed';
    try {
      this.request.onError(error);
    } catch {
      // As in finish().
    }
  }

  /** Ends the sequence with no further callbacks. */
  cancel(): void {
    if (this.done) return;
    this.state = 'done';
    this.outcome = 'cancelled';
  }
}

function asError(value: unknown, context: string): Error {
  return value instanceof Error ? value : new Error(`${context}: ${String(value)}`);
}
