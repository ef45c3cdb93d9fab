import { describe, expect, it } from 'vitest';
import { renderChat } from '../../../src/llm/text/chat-template.js';
import { post, sseData, startFakeServer } from './llm-serve-helpers.js';

interface ChatChunk {
  id: string;
  object: string;
  model: string;
  choices: { index: number; delta: { role?: string; content?: string }; logprobs: null; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

const messages = [
  { role: 'system', content: 'be brief' },
  { role: 'user', content: 'the cat' },
];

describe('POST /v1/chat/completions, stream: true', () => {
  it('opens with the assistant role, then one content delta per token, the finish chunk, usage, [DONE]', async () => {
    const { url, engine } = await startFakeServer();
    const response = await post(`${url}/chat/completions`, { model: 'fake-llm', messages, max_tokens: 3, stream: true, stream_options: { include_usage: true } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = sseData(await response.text());
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1) as ChatChunk[];
    expect(chunks.map((c) => c.choices[0]?.delta)).toEqual([{ role: 'assistant', content: '' }, { content: 'the' }, { content: ' of' }, { content: ' and' }, {}, undefined]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason)).toEqual([null, null, null, null, 'length', undefined]);
    const first = chunks[0]!;
    expect(first.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    for (const chunk of chunks) {
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.id).toBe(first.id);
      expect(chunk.model).toBe('fake-llm');
    }
    // The messages reach the engine through the chat template.
    const promptTokens = engine.tokenizer.encode(renderChat(messages as never));
    expect(Array.from(engine.submitted.at(-1)!.promptTokens)).toEqual(Array.from(promptTokens));
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: promptTokens.length, completion_tokens: 3, total_tokens: promptTokens.length + 3 });
  });

  it('continuous_usage_stats: usage in every chunk, the role chunk at 0 tokens', async () => {
    const { url } = await startFakeServer();
    const body = { messages, max_tokens: 2, stream: true, stream_options: { include_usage: true, continuous_usage_stats: true } };
    const chunks = sseData(await (await post(`${url}/chat/completions`, body)).text()).slice(0, -1) as ChatChunk[];
    expect(chunks.map((c) => c.usage?.completion_tokens)).toEqual([0, 1, 2, 2, 2]);
  });

  it('continuous_usage_stats without include_usage sends no usage (as vLLM)', async () => {
    const { url } = await startFakeServer();
    const body = { messages, max_tokens: 2, stream: true, stream_options: { continuous_usage_stats: true } };
    const chunks = sseData(await (await post(`${url}/chat/completions`, body)).text()).slice(0, -1) as ChatChunk[];
    expect(chunks).toHaveLength(4);
    expect(chunks.every((c) => c.usage === undefined)).toBe(true);
  });

  it('without max_tokens generates up to the rest of the context', async () => {
    const { url, engine } = await startFakeServer({ maxContext: 40, stepMs: 1 });
    const chunks = sseData(await (await post(`${url}/chat/completions`, { messages, stream: true })).text());
    const promptLength = engine.tokenizer.encode(renderChat(messages as never)).length;
    expect(engine.submitted.at(-1)!.maxTokens).toBe(40 - promptLength);
    expect(chunks).toHaveLength(1 + (40 - promptLength) + 1 + 1);
  });

  it('takes content as text parts, and max_completion_tokens over max_tokens', async () => {
    const { url, engine } = await startFakeServer();
    const body = { messages: [{ role: 'user', content: [{ type: 'text', text: 'the ' }, { type: 'text', text: 'cat' }] }], max_tokens: 9, max_completion_tokens: 2, stream: true };
    const chunks = sseData(await (await post(`${url}/chat/completions`, body)).text());
    expect(chunks).toHaveLength(1 + 2 + 1 + 1);
    expect(Array.from(engine.submitted.at(-1)!.promptTokens)).toEqual(Array.from(engine.tokenizer.encode('user: the cat\nassistant:')));
  });
});
