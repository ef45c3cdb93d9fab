import { describe, expect, it } from 'vitest';
import { COMPLETED } from '../../src/loadgen/recorder.js';
import { OpenAiBackend } from '../../src/openai/openai-backend.js';
import type { OpenAiSampleOutput } from '../../src/openai/types.js';
import { startFakeOpenAiServer } from './fake-openai-server.js';
import { chunkCounts, chunkGapsMs, closedAfterEachTest, mean, openAiOptions, prompts, runQuery } from './fixtures.js';

const live = closedAfterEachTest();

describe('openai: token arrival times', () => {
  for (const api of ['completions', 'chat'] as const) {
    it(`${api}: first token after 50 ms, then one every 10 ms, 20 tokens`, async () => {
      live.server = await startFakeOpenAiServer({ firstTokenMs: 50, tokenIntervalMs: 10 });
      live.backend = await OpenAiBackend.create(openAiOptions(live.server.url, { api }), prompts(1, 20));
      const { recorder, issuedNs } = await runQuery(live.backend, [0]);

      expect(recorder.sampleStatus.get(0)).toBe(COMPLETED);
      const log = recorder.tokenLog!;
      expect(chunkCounts(recorder, 0)).toEqual(Array(20).fill(1));
      expect(recorder.sampleTokens!.get(0)).toBe(20);
      const firstMs = (log.firstTokenNs(0) - issuedNs) / 1e6;
      // The server waits 50 ms from the request's arrival, so never earlier; loopback and a loaded CI machine add some.
      expect(firstMs).toBeGreaterThanOrEqual(50);
      expect(firstMs).toBeLessThan(50 + 150);
      const gaps = chunkGapsMs(recorder, 0);
      expect(gaps).toHaveLength(19);
      // Absolute deadlines on the server: the mean gap is 10 ms give or take timer jitter.
      expect(mean(gaps)).toBeGreaterThanOrEqual(8);
      expect(mean(gaps)).toBeLessThanOrEqual(20);
      expect(recorder.sampleCompletedNs.get(0)).toBeGreaterThanOrEqual(log.chunksOf(0).at(-2)!);
      const output = recorder.responses![0] as OpenAiSampleOutput;
      expect(output.text).toBe(Array.from({ length: 20 }, (_, k) => `t${k} `).join(''));
      expect(output.finishReason).toBe('length');
    });
  }
});

describe('openai: token counts', () => {
  it('counts one token per text chunk, and takes the total from the final usage chunk', async () => {
    live.server = await startFakeOpenAiServer({ usage: 'final' });
    live.backend = await OpenAiBackend.create(openAiOptions(live.server.url), prompts(1, 7));
    const { recorder } = await runQuery(live.backend, [0]);
    expect(chunkCounts(recorder, 0)).toEqual(Array(7).fill(1));
    expect(recorder.sampleTokens!.get(0)).toBe(7);
    expect(recorder.responses![0]).toEqual({ text: 't0 t1 t2 t3 t4 t5 t6 ', finishReason: 'length', promptTokens: 5, completionTokens: 7 });
    const stats = live.backend.stats();
    expect(stats.usageReported).toBe(1);
    expect(stats.promptTokensReported).toBe(5);
    expect(stats.chunksWithSeveralTokens).toBe(0);
    expect(stats.finishReasons).toEqual({ length: 1 });
  });

  it('without usage, counts the chunks with text', async () => {
    live.server = await startFakeOpenAiServer({ usage: 'none', tokensPerChunk: 3 });
    live.backend = await OpenAiBackend.create(openAiOptions(live.server.url), prompts(1, 7));
    const { recorder } = await runQuery(live.backend, [0]);
    // 7 tokens in chunks of 3, 3, 1: without usage the client can only see three chunks.
    expect(chunkCounts(recorder, 0)).toEqual([1, 1, 1]);
    expect(recorder.sampleTokens!.get(0)).toBe(3);
    const stats = live.backend.stats();
    expect(stats.usageReported).toBe(0);
    expect(stats.promptTokensReported).toBeNull();
  });

  it('with continuous usage, a chunk of 2 tokens counts 2', async () => {
    live.server = await startFakeOpenAiServer({ usage: 'continuous', tokensPerChunk: 2 });
    live.backend = await OpenAiBackend.create(openAiOptions(live.server.url, { api: 'chat' }), prompts(1, 9));
    const { recorder } = await runQuery(live.backend, [0]);
    expect(chunkCounts(recorder, 0)).toEqual([2, 2, 2, 2, 1]);
    expect(recorder.sampleTokens!.get(0)).toBe(9);
    const stats = live.backend.stats();
    expect(stats.chunksWithSeveralTokens).toBe(4);
    expect(stats.usageReported).toBe(1);
    // The fake counts the chat messages' words: "prompt number 0 says hello".
    expect(stats.promptTokensReported).toBe(5);
  });

  it('with only a final usage chunk and several tokens per chunk, completes with the server total', async () => {
    live.server = await startFakeOpenAiServer({ usage: 'final', tokensPerChunk: 4 });
    live.backend = await OpenAiBackend.create(openAiOptions(live.server.url), prompts(1, 8));
    const { recorder } = await runQuery(live.backend, [0]);
    expect(chunkCounts(recorder, 0)).toEqual([1, 1]);
    expect(recorder.sampleTokens!.get(0)).toBe(8);
  });
});
