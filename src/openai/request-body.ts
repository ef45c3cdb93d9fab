import type { LlmApi, LlmPrompt } from '../llm/types.js';

/**
 * The JSON body of one streaming request. Greedy (temperature 0) so runs are repeatable;
 * usage asked for in every chunk (vLLM's continuous_usage_stats) so chunks that carry several
 * tokens are counted right, and once at the end (include_usage) for the totals.
 */
export function requestBody(api: LlmApi, model: string, prompt: LlmPrompt, ignoreEos: boolean): Buffer {
  const input = api === 'chat' ? { messages: prompt.messages } : { prompt: prompt.prompt };
  return Buffer.from(
    JSON.stringify({
      model,
      ...input,
      max_tokens: prompt.maxTokens,
      stream: true,
      stream_options: { include_usage: true, continuous_usage_stats: true },
      temperature: 0,
      ...(ignoreEos ? { ignore_eos: true } : {}),
    }),
  );
}

export const API_PATHS = { completions: '/completions', chat: '/chat/completions' } as const satisfies Record<LlmApi, string>;
