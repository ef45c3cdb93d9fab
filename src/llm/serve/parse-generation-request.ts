import { renderChat } from '../text/chat-template.js';
import type { ChatMessage, LlmApi } from '../types.js';
import { COMPLETIONS_DEFAULT_MAX_TOKENS, type GenerationPlan, type ServedLlm } from './generation-plan.js';
import { OpenAiError } from './openai-error.js';
import { describeJson, isPlainObject, RequestFields, wrongType } from './request-fields.js';

/**
 * A /v1/completions or /v1/chat/completions body into a GenerationPlan, or a 400/404
 * OpenAiError naming the field. Sampling fields (temperature, top_p, seed, ...) are accepted
 * and ignored: decoding is always greedy. Unknown fields are ignored, as OpenAI's API does.
 */
export function parseGenerationRequest(api: LlmApi, body: Buffer, served: ServedLlm): GenerationPlan {
  const fields = new RequestFields(parseJsonObject(body));
  const model = fields.string('model');
  if (model !== undefined && model !== served.name) {
    throw unknownModel(model, served.name);
  }
  const n = fields.integer('n', 1);
  if (n !== undefined && n !== 1) throw new OpenAiError('invalid', `n must be 1 on this server (one choice per request), got ${n}.`, { param: 'n' });
  checkNoStop(fields.get('stop'));
  fields.number('temperature');
  fields.number('top_p');

  const promptTokens = served.tokenizer.encode(api === 'chat' ? renderChat(readMessages(fields.get('messages'))) : readPrompt(fields.get('prompt')));
  const maxTokens = readMaxTokens(api, fields, promptTokens.length, served.maxContext);
  const stream = fields.boolean('stream') ?? false;
  const streamOptions = fields.object('stream_options');
  if (streamOptions !== undefined && !stream) throw new OpenAiError('invalid', 'stream_options can only be given when stream is true.', { param: 'stream_options' });
  // As vLLM: continuous usage needs include_usage too.
  const includeUsage = streamOptions?.boolean('include_usage') ?? false;
  const continuousUsage = includeUsage && (streamOptions?.boolean('continuous_usage_stats') ?? false);
  const stopAtEos = !(fields.boolean('ignore_eos') ?? false);
  return { api, promptTokens, maxTokens, stopAtEos, stream, includeUsage, continuousUsage };
}

/** OpenAI's 404 for a model it does not have, naming the one this server has. */
export function unknownModel(asked: string, served: string): OpenAiError {
  return new OpenAiError('not-found', `The model \`${asked}\` does not exist. This server serves \`${served}\`.`, { param: 'model', code: 'model_not_found' });
}

function parseJsonObject(body: Buffer): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new OpenAiError('invalid', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(json)) throw new OpenAiError('invalid', `The request body must be a JSON object, got ${describeJson(json)}.`);
  return json;
}

function checkNoStop(stop: unknown): void {
  const none = stop === undefined || stop === '' || (Array.isArray(stop) && stop.length === 0);
  if (!none) throw new OpenAiError('invalid', 'stop is not supported by this server: generation ends at max_tokens or at end-of-sequence.', { param: 'stop' });
}

function readPrompt(prompt: unknown): string {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') return prompt[0];
  if (prompt === undefined) throw new OpenAiError('invalid', 'prompt is required.', { param: 'prompt' });
  if (Array.isArray(prompt)) {
    throw new OpenAiError('invalid', `prompt must be a string or an array of exactly one string on this server (no batched or token-id prompts), got an array of ${prompt.length} of ${describeJson(prompt[0])}.`, { param: 'prompt' });
  }
  throw wrongType('prompt', 'a string or an array of one string', prompt);
}

const CHAT_ROLES: readonly ChatMessage['role'][] = ['system', 'user', 'assistant'];

function readMessages(messages: unknown): ChatMessage[] {
  if (messages === undefined) throw new OpenAiError('invalid', 'messages is required.', { param: 'messages' });
  if (!Array.isArray(messages)) throw wrongType('messages', 'an array', messages);
  if (messages.length === 0) throw new OpenAiError('invalid', 'messages must hold at least one message.', { param: 'messages' });
  return messages.map((message: unknown, i) => {
    const param = `messages[${i}]`;
    if (!isPlainObject(message)) throw wrongType(param, 'an object', message);
    const role = message['role'];
    if (!CHAT_ROLES.includes(role as ChatMessage['role'])) {
      throw new OpenAiError('invalid', `${param}.role must be one of ${CHAT_ROLES.join(', ')}, got ${JSON.stringify(role) ?? 'nothing'}.`, { param: `${param}.role` });
    }
    return { role: role as ChatMessage['role'], content: readContent(message['content'], `${param}.content`) };
  });
}

/** A string, or OpenAI's content parts of type text (joined). */
function readContent(content: unknown, param: string): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown, i) => {
        if (isPlainObject(part) && part['type'] === 'text' && typeof part['text'] === 'string') return part['text'];
        throw new OpenAiError('invalid', `${param}[${i}] must be a text part ({"type": "text", "text": "..."}); this server takes text only.`, { param: `${param}[${i}]` });
      })
      .join('');
  }
  throw wrongType(param, 'a string or an array of text parts', content);
}

/**
 * max_completion_tokens wins over max_tokens (as vLLM); unset: 16 for completions (OpenAI's
 * default), the rest of the context for chat. Over the context: vLLM's message with the numbers.
 */
function readMaxTokens(api: LlmApi, fields: RequestFields, promptLength: number, maxContext: number): number {
  const asked = fields.integer('max_completion_tokens', 1) ?? fields.integer('max_tokens', 1);
  const input = api === 'chat' ? 'messages' : 'prompt';
  if (asked === undefined && api === 'chat') {
    if (promptLength >= maxContext) {
      throw new OpenAiError('invalid', `This model's maximum context length is ${maxContext} tokens. However, your request has ${promptLength} input tokens. Please reduce the length of the input messages.`, { param: input });
    }
    return maxContext - promptLength;
  }
  const maxTokens = asked ?? COMPLETIONS_DEFAULT_MAX_TOKENS;
  if (promptLength + maxTokens > maxContext) {
    throw new OpenAiError(
      'invalid',
      `This model's maximum context length is ${maxContext} tokens. However, you requested ${promptLength + maxTokens} tokens (${promptLength} in the ${input}, ${maxTokens} in the completion). Please reduce the length of the ${input} or completion.`,
      { param: fields.get('max_completion_tokens') !== undefined ? 'max_completion_tokens' : 'max_tokens' },
    );
  }
  return maxTokens;
}
