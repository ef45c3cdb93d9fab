import { describe, expect, it } from 'vitest';
import { fakeText } from './fake-engine.js';
import { post, startFakeServer } from './llm-serve-helpers.js';

describe('stream: false (the default)', () => {
  it('/v1/completions answers one text_completion with the whole text and usage', async () => {
    const { url, engine } = await startFakeServer();
    const response = await post(`${url}/completions`, { model: 'fake-llm', prompt: 'the cat', max_tokens: 7, temperature: 0.7, top_p: 0.9 });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as Record<string, unknown>;
    const promptTokens = engine.tokenizer.encode('the cat').length;
    expect(body).toEqual({
      id: expect.stringMatching(/^cmpl-[0-9a-f]{32}$/),
      object: 'text_completion',
      created: expect.any(Number),
      model: 'fake-llm',
      choices: [{ index: 0, text: fakeText(7), logprobs: null, finish_reason: 'length' }],
      usage: { prompt_tokens: promptTokens, completion_tokens: 7, total_tokens: promptTokens + 7 },
    });
  });

  it('/v1/chat/completions answers one chat.completion with the assistant message', async () => {
    const { url } = await startFakeServer({ eosAt: 3 });
    const response = await post(`${url}/chat/completions`, { model: 'fake-llm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10, stream: false });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-[0-9a-f]{32}$/),
      object: 'chat.completion',
      model: 'fake-llm',
      // End-of-sequence after three words: counted as a completion token, not in the text.
      choices: [{ index: 0, message: { role: 'assistant', content: fakeText(3) }, logprobs: null, finish_reason: 'stop' }],
      usage: { completion_tokens: 4 },
    });
  });

  it('an engine failure is a 500 with an OpenAI error object', async () => {
    const { url, engine } = await startFakeServer();
    engine.failAfter = 2;
    const response = await post(`${url}/completions`, { prompt: 'the', max_tokens: 5 });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { message: 'internal error: fake engine: model failure', type: 'server_error', param: null, code: null } });
  });

  it('an engine failure mid-stream ends the stream with an error event, then [DONE]', async () => {
    const { url, server, engine } = await startFakeServer();
    engine.failAfter = 2;
    const response = await post(`${url}/completions`, { prompt: 'the', max_tokens: 5, stream: true });
    expect(response.status).toBe(200);
    const text = await response.text();
    const events = text.split('\n\n').slice(0, -1);
    expect(events).toHaveLength(4);
    expect(events.slice(0, 2).map((e) => (JSON.parse(e.slice(6)) as { choices: { text: string }[] }).choices[0]!.text)).toEqual(['the', ' of']);
    expect(JSON.parse(events[2]!.slice(6))).toEqual({ error: { message: 'internal error: fake engine: model failure', type: 'server_error', param: null, code: null } });
    expect(events[3]).toBe('data: [DONE]');
    const summary = await server.close();
    expect(summary.counters).toMatchObject({ failed: 1, completed: 0, completionTokens: 2 });
  });
});
