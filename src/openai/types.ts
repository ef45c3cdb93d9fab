import type { LlmApi } from '../llm/types.js';
import type { RemoteErrorKind } from '../remote/types.js';
import type { LatencyStats } from '../results/types.js';

/** How the OpenAI-compatible client is set up; resolved by the CLI. */
export interface OpenAiOptions {
  /** Base URL including the API prefix, e.g. http://127.0.0.1:8000/v1. */
  readonly url: string;
  /** null: the server's only model (GET {url}/models); a UserError listing them when it has several. */
  readonly model: string | null;
  /** 'completions' -> POST {url}/completions, 'chat' -> POST {url}/chat/completions. */
  readonly api: LlmApi;
  /** The whole request, stream included, from the moment it is sent; 0 = none. */
  readonly requestTimeoutMs: number;
  /** Sent with every request (credentials): never logged, never stored in results. */
  readonly headers: Readonly<Record<string, string>>;
  /** Streams open at once (pool connections); more wait in the client's FIFO. */
  readonly maxOutstanding: number;
  /** Sends vLLM's "ignore_eos": true, so exactly max_tokens come back. */
  readonly ignoreEos: boolean;
  /** Asks for usage in every chunk (vLLM's stream_options.continuous_usage_stats); default true. */
  readonly continuousUsage?: boolean;
}

/**
 * What one completed stream carried, handed to the sink as the response's `data` (kept only
 * in accuracy mode). `completionTokens` is the server's count when it sent usage, else the
 * number of tokens counted from the chunks.
 */
export interface OpenAiSampleOutput {
  readonly text: string;
  readonly finishReason: string | null;
  readonly promptTokens: number | null;
  readonly completionTokens: number;
}

/** What the client measured since the last resetStats(). */
export interface OpenAiStats {
  /** Requests sent (handed to a connection); queued ones count once they are sent. */
  readonly requests: number;
  /** Failed requests by kind: requests = completed + the sum of these (once all have ended). */
  readonly errorsByKind: Readonly<Record<RemoteErrorKind, number>>;
  /** Failed after at least one token arrived. */
  readonly streamsBroken: number;
  /** Requests that waited in the client FIFO for a free stream slot. */
  readonly clientQueued: number;
  /** How long those requests waited; null when none did. */
  readonly clientQueueNs: LatencyStats | null;
  /** Sum of usage.prompt_tokens over the requests that reported it; null when none did. */
  readonly promptTokensReported: number | null;
  /** Requests whose stream carried a usage object. */
  readonly usageReported: number;
  /** Completed requests by finish_reason ('none' when the server sent none). */
  readonly finishReasons: Readonly<Record<string, number>>;
  /** Chunks that carried more than one token (by the usage count). */
  readonly chunksWithSeveralTokens: number;
}
