import type { Tokenizer } from '../text/word-tokenizer.js';
import type { LlmApi } from '../types.js';

/** What the server knows of the model it serves, for validating requests. */
export interface ServedLlm {
  /** The name clients must send as `model`. */
  readonly name: string;
  readonly tokenizer: Tokenizer;
  readonly maxContext: number;
}

/** One validated request, resolved: what to generate and how to answer. */
export interface GenerationPlan {
  readonly api: LlmApi;
  readonly promptTokens: Int32Array;
  readonly maxTokens: number;
  /** false: the request asked for ignore_eos, so exactly maxTokens come back. */
  readonly stopAtEos: boolean;
  readonly stream: boolean;
  /** stream_options.include_usage: a usage chunk before [DONE]. */
  readonly includeUsage: boolean;
  /** stream_options.continuous_usage_stats (vLLM): usage in every chunk. */
  readonly continuousUsage: boolean;
}

/** OpenAI's default max_tokens for /v1/completions. */
export const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;
