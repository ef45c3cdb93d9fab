import type { Tokenizer } from '../text/word-tokenizer.js';

/** How running sequences share the model (see README "mlbench serve --llm"). */
export const SCHEDULERS = ['continuous', 'static'] as const;
export type SchedulerName = (typeof SCHEDULERS)[number];

export type FinishReason = 'length' | 'stop';

/** One generation: prompt tokens in, one callback per generated token, then finish or error. */
export interface GenerationRequest {
  readonly promptTokens: Int32Array;
  /** Generate at most this many tokens. */
  readonly maxTokens: number;
  /** false: end-of-sequence is not sampled, so exactly maxTokens come back (benchmarks). */
  readonly stopAtEos: boolean;
  /** Called once per generated token, in order, as soon as the decode step that made it ends. */
  onToken(tokenId: number): void;
  /** Called once after the last onToken. */
  onFinish(reason: FinishReason): void;
  /** Called instead of onFinish when the generation cannot go on (model error, engine closed). */
  onError(error: Error): void;
}

export interface SubmittedGeneration {
  /** Stops generating (client gone); neither onFinish nor onError is called afterwards. */
  cancel(): void;
}

/** What the engine has done since it started (the server reports it; the bench reads it). */
export interface EngineStats {
  readonly scheduler: SchedulerName;
  /** Sequences waiting to join a batch / running in one, now. */
  readonly waiting: number;
  readonly running: number;
  readonly prefillSteps: number;
  readonly decodeSteps: number;
  readonly generatedTokens: number;
  readonly finishedSequences: number;
  /** decodeBatchSizes[b] = decode steps that ran with b sequences. */
  readonly decodeBatchSizes: readonly number[];
}

/**
 * A greedy-decoding generation engine over the built-in decoder model. submit() returns at
 * once; tokens arrive through the request's callbacks from the engine's own loop.
 */
export interface GenerationEngine {
  readonly scheduler: SchedulerName;
  readonly tokenizer: Tokenizer;
  /** The model's context window: prompt plus generated tokens may not exceed it. */
  readonly maxContext: number;
  /** At most this many sequences run in one decode step. */
  readonly maxBatch: number;
  /** The model's name as the server reports it. */
  readonly modelName: string;
  submit(request: GenerationRequest): SubmittedGeneration;
  stats(): EngineStats;
  /** Fails what is queued or running (onError), releases the model. */
  close(): Promise<void>;
}
