import { describe, expect, it } from 'vitest';
import { post, readEvents, startFakeServer, until } from './llm-serve-helpers.js';

describe('--max-queue', () => {
  it('refuses with 503 + Retry-After once max-queue sequences are waiting, and serves again after', async () => {
    // One sequence runs at a time; a second waits; a third finds the queue full.
    const { url, engine, server } = await startFakeServer({ maxBatch: 1, stepMs: 10 }, { maxQueue: 1 });
    const body = { prompt: 'the', max_tokens: 10, stream: true };
    const first = await post(`${url}/completions`, body);
    await until(() => engine.stats().running === 1);
    const second = await post(`${url}/completions`, body);
    await until(() => engine.stats().waiting === 1);

    const refused = await post(`${url}/completions`, body);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({
      error: { message: 'The server is busy: 1 sequences are already waiting (--max-queue 1). Retry later.', type: 'server_error', param: null, code: 'queue_full' },
    });

    expect(await readEvents(first)).toHaveLength(12);
    expect(await readEvents(second)).toHaveLength(12);
    expect((await post(`${url}/completions`, { prompt: 'the', max_tokens: 1 })).status).toBe(200);
    expect((await server.close()).counters).toMatchObject({ completed: 3, refused: 1, rejected: 0 });
  });

  it('0 means no limit', async () => {
    const { url, engine } = await startFakeServer({ maxBatch: 1, stepMs: 10 }, { maxQueue: 0 });
    const streams = await Promise.all(Array.from({ length: 5 }, () => post(`${url}/completions`, { prompt: 'the', max_tokens: 2, stream: true })));
    expect(streams.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(engine.stats().waiting).toBeGreaterThan(1);
    await Promise.all(streams.map((r) => r.text()));
  });
});
