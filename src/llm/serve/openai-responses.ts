import type { FinishReason } from '../engine/types.js';
import type { LlmApi } from '../types.js';

/** What every chunk and response of one request repeats. */
export interface ResponseIdentity {
  readonly api: LlmApi;
  /** cmpl-... / chatcmpl-..., the same in every chunk of a stream. */
  readonly id: string;
  /** Unix seconds. */
  readonly created: number;
  readonly model: string;
}

export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
}

export function usage(promptTokens: number, completionTokens: number): Usage {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

/** Chat streams open with the assistant's role and no text, as OpenAI and vLLM send it. */
export function roleChunk(who: ResponseIdentity, usageNow?: Usage): unknown {
  return chunk(who, { role: 'assistant', content: '' }, null, usageNow);
}

/** One generated token's text (possibly '' while a character is split over byte tokens). */
export function textChunk(who: ResponseIdentity, text: string, usageNow?: Usage): unknown {
  return chunk(who, who.api === 'chat' ? { content: text } : text, null, usageNow);
}

/** The chunk that ends the choice: its finish_reason, and text only if the decoder had some left. */
export function finishChunk(who: ResponseIdentity, text: string, reason: FinishReason, usageNow?: Usage): unknown {
  const delta: string | Record<string, string> = who.api === 'chat' ? (text === '' ? {} : { content: text }) : text;
  return chunk(who, delta, reason, usageNow);
}

/** stream_options.include_usage: the last chunk before [DONE], with no choices. */
export function usageChunk(who: ResponseIdentity, total: Usage): unknown {
  return { id: who.id, object: streamObject(who.api), created: who.created, model: who.model, choices: [], usage: total };
}

/** A non-streaming answer: the whole text, its finish_reason and usage. */
export function completeResponse(who: ResponseIdentity, text: string, reason: FinishReason, total: Usage): unknown {
  const choice =
    who.api === 'chat'
      ? { index: 0, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: reason }
      : { index: 0, text, logprobs: null, finish_reason: reason };
  return { id: who.id, object: who.api === 'chat' ? 'chat.completion' : 'text_completion', created: who.created, model: who.model, choices: [choice], usage: total };
}

/** `delta` is the chat delta object, or the completion's text. */
function chunk(who: ResponseIdentity, delta: string | Record<string, string>, reason: FinishReason | null, usageNow: Usage | undefined): unknown {
  const choice = typeof delta === 'string' ? { index: 0, text: delta, logprobs: null, finish_reason: reason } : { index: 0, delta, logprobs: null, finish_reason: reason };
  return { id: who.id, object: streamObject(who.api), created: who.created, model: who.model, choices: [choice], ...(usageNow === undefined ? {} : { usage: usageNow }) };
}

function streamObject(api: LlmApi): string {
  return api === 'chat' ? 'chat.completion.chunk' : 'text_completion';
}
