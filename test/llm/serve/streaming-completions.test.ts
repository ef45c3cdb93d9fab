import { describe, expect, it } from 'vitest';
import { fakeText } from './fake-engine.js';
import { post, readEvents, sseData, startFakeServer } from './llm-serve-helpers.js';

interface CompletionChunk {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: { index: number; text: string; logprobs: null; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

describe('POST /v1/completions, stream: true', () => {
  it('sends one text_completion chunk per token, then the finish chunk, then [DONE]', async () => {
    const { url, engine } = await startFakeServer();
    const response = await post(`${url}/completions`, { model: 'fake-llm', prompt: 'the cat', max_tokens: 4, stream: true });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = sseData(await response.text());
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1) as CompletionChunk[];
    expect(chunks.map((c) => c.choices[0]!.text)).toEqual(['the', ' of', ' and', ' to', '']);
    expect(chunks.map((c) => c.choices[0]!.finish_reason)).toEqual([null, null, null, null, 'length']);
    const first = chunks[0]!;
    expect(first.id).toMatch(/^cmpl-[0-9a-f]{32}$/);
    expect(first.object).toBe('text_completion');
    expect(first.model).toBe('fake-llm');
    expect(Math.abs(first.created - Date.now() / 1000)).toBeLessThan(60);
    expect(first.choices[0]).toEqual({ index: 0, text: 'the', logprobs: null, finish_reason: null });
    for (const chunk of chunks) {
      expect(chunk.id).toBe(first.id);
      expect(chunk).not.toHaveProperty('usage');
    }
    // The prompt went to the engine as the tokenizer's tokens, greedy, stopping at end-of-sequence.
    const request = engine.submitted.at(-1)!;
    expect(Array.from(request.promptTokens)).toEqual(Array.from(engine.tokenizer.encode('the cat')));
    expect(request.maxTokens).toBe(4);
    expect(request.stopAtEos).toBe(true);
  });

  it('include_usage: a usage chunk with no choices before [DONE]', async () => {
    const { url, engine } = await startFakeServer();
    const prompt = 'the cat sat';
    const response = await post(`${url}/completions`, { model: 'fake-llm', prompt, max_tokens: 3, stream: true, stream_options: { include_usage: true } });
    const events = sseData(await response.text());
    expect(events).toHaveLength(3 + 1 + 1 + 1);
    const usageChunk = events.at(-2) as CompletionChunk;
    const promptTokens = engine.tokenizer.encode(prompt).length;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toEqual({ prompt_tokens: promptTokens, completion_tokens: 3, total_tokens: promptTokens + 3 });
    expect((events.slice(0, 4) as CompletionChunk[]).every((c) => c.usage === undefined)).toBe(true);
  });

  it('continuous_usage_stats: usage in every chunk, counting up one per token', async () => {
    const { url } = await startFakeServer();
    const response = await post(`${url}/completions`, { model: 'fake-llm', prompt: ['the'], max_tokens: 3, stream: true, stream_options: { include_usage: true, continuous_usage_stats: true } });
    const chunks = sseData(await response.text()).slice(0, -1) as CompletionChunk[];
    expect(chunks.map((c) => c.usage?.completion_tokens)).toEqual([1, 2, 3, 3, 3]);
    expect(chunks.map((c) => c.usage?.prompt_tokens)).toEqual([1, 1, 1, 1, 1]);
    expect(chunks.map((c) => c.usage?.total_tokens)).toEqual([2, 3, 4, 4, 4]);
    expect(chunks.at(-1)!.choices).toEqual([]);
  });

  it('ignore_eos: exactly max_tokens tokens; without it end-of-sequence stops early with finish_reason stop', async () => {
    const { url, engine } = await startFakeServer({ eosAt: 2 });
    const ignoring = sseData(await (await post(`${url}/completions`, { prompt: 'the', max_tokens: 5, stream: true, ignore_eos: true })).text());
    expect(engine.submitted.at(-1)!.stopAtEos).toBe(false);
    expect((ignoring.slice(0, -1) as CompletionChunk[]).map((c) => c.choices[0]!.text).join('')).toBe(fakeText(5));
    expect((ignoring.at(-2) as CompletionChunk).choices[0]!.finish_reason).toBe('length');

    const stopping = sseData(await (await post(`${url}/completions`, { prompt: 'the', max_tokens: 5, stream: true, stream_options: { include_usage: true } })).text());
    // Two word chunks; end-of-sequence is counted in usage but sends no text chunk.
    const chunks = stopping.slice(0, -1) as CompletionChunk[];
    expect(chunks.map((c) => c.choices[0]?.text)).toEqual(['the', ' of', '', undefined]);
    expect(chunks[2]!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks[3]!.usage?.completion_tokens).toBe(3);
  });

  it('writes each token as soon as the engine makes it, not at the end', async () => {
    const { url } = await startFakeServer({ stepMs: 40 });
    const response = await post(`${url}/completions`, { prompt: 'the', max_tokens: 6, stream: true });
    const events = await readEvents(response);
    expect(events).toHaveLength(6 + 1 + 1);
    // Six steps 40 ms apart: the first and the sixth token arrive well apart (generous bound).
    expect(events[5]!.atMs - events[0]!.atMs).toBeGreaterThan(100);
  });

  it('defaults max_tokens to 16, as OpenAI does', async () => {
    const { url } = await startFakeServer({ stepMs: 1 });
    const chunks = sseData(await (await post(`${url}/completions`, { prompt: 'the', stream: true })).text());
    expect(chunks).toHaveLength(16 + 1 + 1);
  });
});
