import type { LlmApi, LlmPrompt } from '../llm/types.js';

/** The server extensions a request asks for (vLLM's; hosted APIs may reject unknown fields). */
export interface BodyExtensions {
  /** "ignore_eos": true, so exactly max_tokens come back. */
  readonly ignoreEos: boolean;
  /** stream_options.continuous_usage_stats: usage in every chunk, so multi-token chunks count right. */
  readonly continuousUsage: boolean;
}

/**
 * The JSON body of one streaming request. Greedy (temperature 0) so runs are repeatable;
 * usage asked for at the end (include_usage, standard) for the totals, and in every chunk when
 * the server takes vLLM's continuous_usage_stats.
 */
export function requestBody(api: LlmApi, model: string, prompt: LlmPrompt, extensions: BodyExtensions): Buffer {
  const input = api === 'chat' ? { messages: prompt.messages } : { prompt: prompt.prompt };
  return Buffer.from(
    JSON.stringify({
      model,
      ...input,
      max_tokens: prompt.maxTokens,
      stream: true,
      stream_options: { include_usage: true, ...(extensions.continuousUsage ? { continuous_usage_stats: true } : {}) },
      temperature: 0,
      ...(extensions.ignoreEos ? { ignore_eos: true } : {}),
    }),
  );
}

export const API_PATHS = { completions: '/completions', chat: '/chat/completions' } as const satisfies Record<LlmApi, string>;
