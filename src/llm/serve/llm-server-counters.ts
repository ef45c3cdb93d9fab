import type { GenerationOutcome } from './answer-generation.js';

/** What the server answered since it became ready (the shutdown summary prints it). */
export interface LlmServerCounters {
  /** Generations that ran to their finish_reason. */
  readonly completed: number;
  /** Generations cancelled because the client went away. */
  readonly cancelled: number;
  /** Generations the engine failed. */
  readonly failed: number;
  /** Refused with 503 because --max-queue sequences were already waiting. */
  readonly refused: number;
  /** Answered with a 4xx (bad JSON, unknown model, over the context, ...). */
  readonly rejected: number;
  /** Tokens sent to clients, cancelled and failed generations included. */
  readonly completionTokens: number;
}

export class CounterSet {
  completed = 0;
  cancelled = 0;
  failed = 0;
  refused = 0;
  rejected = 0;
  completionTokens = 0;

  count(outcome: GenerationOutcome): void {
    this.completionTokens += outcome.completionTokens;
    if (outcome.state === 'finished') this.completed++;
    else if (outcome.state === 'cancelled') this.cancelled++;
    else this.failed++;
  }

  snapshot(): LlmServerCounters {
    const { completed, cancelled, failed, refused, rejected, completionTokens } = this;
    return { completed, cancelled, failed, refused, rejected, completionTokens };
  }
}
