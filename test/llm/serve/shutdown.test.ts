import { describe, expect, it } from 'vitest';
import { formatLlmShutdownSummary } from '../../../src/llm/serve/llm-serve-lines.js';
import { post, readEvents, startFakeServer, until } from './llm-serve-helpers.js';

describe('close(): graceful shutdown', () => {
  it('lets running streams finish, refuses new connections, closes the engine and sums up', async () => {
    const { url, engine, server } = await startFakeServer({ stepMs: 10, maxBatch: 2 });
    const streams = await Promise.all([1, 2].map(() => post(`${url}/completions`, { prompt: 'the', max_tokens: 20, stream: true })));
    await until(() => engine.stats().running === 2);
    const closing = server.close();
    await expect(post(`${url}/completions`, { prompt: 'the' })).rejects.toThrow();
    // Both streams run to the end: 20 tokens, the finish chunk, [DONE].
    for (const stream of streams) {
      const events = await readEvents(stream);
      expect(events).toHaveLength(22);
      expect(events.at(-1)!.data).toBe('[DONE]');
    }
    const summary = await closing;
    expect(engine.closed).toBe(true);
    expect(summary.counters).toEqual({ completed: 2, cancelled: 0, failed: 0, refused: 0, rejected: 0, completionTokens: 40 });
    // The warm-up (4 tokens) is not in the engine's share either.
    expect(summary.engine).toMatchObject({ scheduler: 'continuous', prefillSteps: 2, generatedTokens: 40, finishedSequences: 2 });
    expect(summary.engine!.meanDecodeBatch).toBe(2);
    expect(formatLlmShutdownSummary(summary.counters, summary.engine)).toBe(
      `mlbench serve: stopped: 2 requests completed, 0 cancelled (client gone), 0 failed, 0 refused (queue full), 0 rejected (4xx); 40 tokens generated; ` +
        `engine (continuous): 2 prefills, ${summary.engine!.decodeSteps} decode steps, mean decode batch 2.00`,
    );
  });

  it('cuts streams that outlast the drain timeout, cancelling their generations', async () => {
    const { url, engine, server } = await startFakeServer({ stepMs: 10, maxContext: 5000 }, { drainTimeoutMs: 50 });
    const stream = await post(`${url}/completions`, { prompt: 'the', max_tokens: 4000, stream: true });
    await until(() => engine.stats().generatedTokens > 4 + 1);
    const summary = await server.close();
    await expect(stream.text()).rejects.toThrow();
    expect(engine.cancelled).toBe(1);
    expect(summary.counters.cancelled).toBe(1);
    expect(summary.counters.completionTokens).toBeGreaterThan(0);
  });

  it('close() twice returns the same summary', async () => {
    const { server } = await startFakeServer();
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
  });
});
