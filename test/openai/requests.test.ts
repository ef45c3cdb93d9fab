import { describe, expect, it } from 'vitest';
import { OpenAiBackend } from '../../src/openai/openai-backend.js';
import { FAKE_MODEL, startFakeOpenAiServer } from './fake-openai-server.js';
import { closedAfterEachTest, openAiOptions, prompts, runQuery } from './fixtures.js';

const live = closedAfterEachTest();

describe('openai: request bodies', () => {
  it('completions: the prompt, max_tokens, streaming with usage, greedy', async () => {
    live.server = await startFakeOpenAiServer();
    live.backend = await OpenAiBackend.create(openAiOptions(live.server.url), prompts(2, 6));
    await runQuery(live.backend, [1]);
    const [request] = live.server.completionRequests();
    expect(request!.path).toBe('/v1/completions');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({
      model: FAKE_MODEL,
      prompt: 'prompt number 1 says hello',
      max_tokens: 6,
      stream: true,
      stream_options: { include_usage: true, continuous_usage_stats: true },
      temperature: 0,
    });
  });

  it('chat: the messages, and ignore_eos when asked', async () => {
    live.server = await startFakeOpenAiServer();
    live.backend = await OpenAiBackend.create(openAiOptions(live.server.url, { api: 'chat', ignoreEos: true }), prompts(1, 4));
    await runQuery(live.backend, [0]);
    const [request] = live.server.completionRequests();
    expect(request!.path).toBe('/v1/chat/completions');
    expect(request!.body).toEqual({
      model: FAKE_MODEL,
      messages: [{ role: 'user', content: 'prompt number 0 says hello' }],
      max_tokens: 4,
      stream: true,
      stream_options: { include_usage: true, continuous_usage_stats: true },
      temperature: 0,
      ignore_eos: true,
    });
  });
});

describe('openai: the outstanding cap', () => {
  it('keeps at most maxOutstanding streams open; the rest wait in order in the client FIFO, counted and timed', async () => {
    live.server = await startFakeOpenAiServer({ firstTokenMs: 30, tokenIntervalMs: 5 });
    live.backend = await OpenAiBackend.create(openAiOptions(live.server.url, { maxOutstanding: 2 }), prompts(6, 4));
    const { recorder } = await runQuery(live.backend, [0, 1, 2, 3, 4, 5]);
    expect(recorder.completedSamples).toBe(6);
    expect(live.server.maxConcurrentStreams).toBe(2);
    // FIFO: the samples go out two by two in issue order (the two of a pair race each other on their connections).
    const sent = live.server.completionRequests().map((r) => Number(String(r.body?.['prompt']).split(' ')[2]));
    expect([sent.slice(0, 2).sort(), sent.slice(2, 4).sort(), sent.slice(4).sort()]).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    const stats = live.backend.stats();
    expect(stats.requests).toBe(6);
    expect(stats.clientQueued).toBe(4);
    expect(stats.clientQueueNs!.count).toBe(4);
    // Each of the four waited for at least one whole stream (30 ms to the first token).
    expect(stats.clientQueueNs!.minNs).toBeGreaterThanOrEqual(30e6);
    expect(stats.finishReasons).toEqual({ length: 6 });
  });

  it('no wait, no queue stats', async () => {
    live.server = await startFakeOpenAiServer();
    live.backend = await OpenAiBackend.create(openAiOptions(live.server.url, { maxOutstanding: 4 }), prompts(3, 2));
    await runQuery(live.backend, [0, 1, 2]);
    expect(live.backend.stats().clientQueued).toBe(0);
    expect(live.backend.stats().clientQueueNs).toBeNull();
  });

  it('resetStats forgets what came before; a stream sent before the reset is not counted after it', async () => {
    live.server = await startFakeOpenAiServer({ firstTokenMs: 20 });
    live.backend = await OpenAiBackend.create(openAiOptions(live.server.url, { maxOutstanding: 2 }), prompts(2, 2));
    const running = runQuery(live.backend, [0]);
    live.backend.resetStats();
    await running;
    expect(live.backend.stats()).toMatchObject({ requests: 0, usageReported: 0, finishReasons: {} });
    await runQuery(live.backend, [1]);
    expect(live.backend.stats()).toMatchObject({ requests: 1, usageReported: 1, finishReasons: { length: 1 } });
  });

  it('dispose fails the queued samples and the open streams, each once', async () => {
    live.server = await startFakeOpenAiServer({ firstTokenMs: 5_000 });
    live.backend = await OpenAiBackend.create(openAiOptions(live.server.url, { maxOutstanding: 1 }), prompts(3, 2));
    const running = runQuery(live.backend, [0, 1, 2]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await live.backend.dispose();
    const { recorder } = await running;
    expect(recorder.failedSamples).toBe(3);
    expect(recorder.lateOrDuplicateCompletions).toBe(0);
    expect([...recorder.errorCounts.keys()].every((m) => m.startsWith('connection: '))).toBe(true);
    // Issued after dispose: failed at once, not thrown.
    const after = await runQuery(live.backend, [0]);
    expect(after.recorder.failures[0]!.message).toBe('connection: the client is closed');
    live.backend = null;
  });

  it('servers that reject vLLM fields: neither ignore_eos nor continuous_usage_stats is sent when switched off', async () => {
    live.server = await startFakeOpenAiServer();
    live.backend = await OpenAiBackend.create(openAiOptions(live.server.url, { ignoreEos: false, continuousUsage: false }), prompts(1, 3));
    await runQuery(live.backend, [0]);
    const [request] = live.server.completionRequests();
    expect(request!.body).toEqual({
      model: FAKE_MODEL,
      prompt: 'prompt number 0 says hello',
      max_tokens: 3,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0,
    });
    expect(live.backend.description.settings['continuousUsage']).toBe(false);
  });
});
