import { describe, expect, it } from 'vitest';
import { post, sleep, startFakeServer, until } from './llm-serve-helpers.js';

describe('a client that goes away', () => {
  it('mid-stream: its generation is cancelled and the server keeps serving', async () => {
    const { url, engine, server } = await startFakeServer({ stepMs: 10, maxContext: 2000 });
    const controller = new AbortController();
    const response = await fetch(`${url}/completions`, { method: 'POST', body: JSON.stringify({ prompt: 'the', max_tokens: 1000, stream: true }), signal: controller.signal });
    expect(response.status).toBe(200);
    await response.body!.getReader().read();
    controller.abort();
    await until(() => engine.cancelled === 1);
    const generated = engine.stats().generatedTokens;
    await sleep(60);
    // Nothing more generated for it: the engine is idle.
    expect(engine.stats()).toMatchObject({ running: 0, waiting: 0, generatedTokens: generated });
    expect((await post(`${url}/completions`, { prompt: 'the', max_tokens: 2 })).status).toBe(200);
    const { counters } = await server.close();
    expect(counters).toMatchObject({ cancelled: 1, completed: 1 });
  });

  it('before a non-streaming answer: cancelled too', async () => {
    const { url, engine } = await startFakeServer({ stepMs: 10, maxContext: 2000 });
    const controller = new AbortController();
    const pending = fetch(`${url}/completions`, { method: 'POST', body: JSON.stringify({ prompt: 'the', max_tokens: 1000 }), signal: controller.signal }).catch(() => 'aborted');
    await until(() => engine.stats().generatedTokens > 4 + 2);
    controller.abort();
    expect(await pending).toBe('aborted');
    await until(() => engine.cancelled === 1);
    expect(engine.stats().running).toBe(0);
  });
});
