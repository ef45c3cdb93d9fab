import { describe, expect, it } from 'vitest';
import { COMPLETED, FAILED, type Recorder } from '../../src/loadgen/recorder.js';
import { OpenAiBackend } from '../../src/openai/openai-backend.js';
import type { RemoteErrorKind } from '../../src/remote/types.js';
import { type FakeOpenAiBehavior, startFakeOpenAiServer } from './fake-openai-server.js';
import { chunkCounts, closedAfterEachTest, openAiOptions, prompts, runQuery } from './fixtures.js';

const live = closedAfterEachTest();

const NONE: Record<RemoteErrorKind, number> = { refused: 0, 'server-error': 0, 'client-error': 0, connection: 0, timeout: 0, malformed: 0 };

async function start(behavior: Partial<FakeOpenAiBehavior>, requestTimeoutMs = 0): Promise<OpenAiBackend> {
  live.server = await startFakeOpenAiServer();
  live.backend = await OpenAiBackend.create(openAiOptions(live.server.url, { requestTimeoutMs }), prompts(2, 10));
  live.server.setBehavior(behavior);
  return live.backend;
}

function failure(recorder: Recorder): string {
  return recorder.failures[0]?.message ?? '(no failure)';
}

describe('openai: a stream that breaks midway', () => {
  it('a reset after 5 tokens fails the sample as connection, with the 5 tokens kept in the token log', async () => {
    const client = await start({ breakAfterTokens: 5, tokenIntervalMs: 2 });
    const { recorder } = await runQuery(client, [0]);
    expect(recorder.sampleStatus.get(0)).toBe(FAILED);
    expect(chunkCounts(recorder, 0)).toEqual([1, 1, 1, 1, 1]);
    expect(failure(recorder)).toMatch(/^connection: /);
    const stats = client.stats();
    expect(stats.errorsByKind).toEqual({ ...NONE, connection: 1 });
    expect(stats.streamsBroken).toBe(1);
    expect(stats.finishReasons).toEqual({});
  });

  it('a malformed event fails the sample as malformed, tokens before it kept', async () => {
    const client = await start({ malformedAfterTokens: 3 });
    const { recorder } = await runQuery(client, [0]);
    expect(recorder.sampleStatus.get(0)).toBe(FAILED);
    expect(chunkCounts(recorder, 0)).toEqual([1, 1, 1]);
    expect(failure(recorder)).toMatch(/^malformed: an event is not JSON: \{"choices"/);
    expect(client.stats().errorsByKind).toEqual({ ...NONE, malformed: 1 });
    expect(client.stats().streamsBroken).toBe(1);
  });

  it('an error event fails the sample with the kind of its code and the server message', async () => {
    const client = await start({ errorEventAfterTokens: 2 });
    const { recorder } = await runQuery(client, [0]);
    expect(recorder.sampleStatus.get(0)).toBe(FAILED);
    expect(chunkCounts(recorder, 0)).toEqual([1, 1]);
    expect(failure(recorder)).toBe('server-error: the stream carried an error: the engine failed');
  });

  it('a body that ends with neither finish_reason nor [DONE] is a broken stream', async () => {
    const client = await start({ finishReason: null, sendDone: false });
    const { recorder } = await runQuery(client, [0]);
    expect(recorder.sampleStatus.get(0)).toBe(FAILED);
    expect(chunkCounts(recorder, 0)).toEqual(Array(10).fill(1));
    expect(failure(recorder)).toBe('connection: the stream ended without a finish_reason or [DONE]');
  });

  it('a body that ends after a finish_reason without [DONE] is complete', async () => {
    const client = await start({ sendDone: false });
    const { recorder } = await runQuery(client, [0]);
    expect(recorder.sampleStatus.get(0)).toBe(COMPLETED);
    expect(recorder.sampleTokens!.get(0)).toBe(10);
  });

  it('a 200 answer with one JSON document (stream ignored) is malformed, and says why', async () => {
    const client = await start({ jsonInsteadOfStream: true });
    const { recorder } = await runQuery(client, [0]);
    expect(recorder.sampleStatus.get(0)).toBe(FAILED);
    expect(failure(recorder)).toMatch(/^malformed: HTTP 200 with a JSON body, not an event stream/);
  });
});

describe('openai: error answers', () => {
  const cases: [number, RemoteErrorKind][] = [
    [500, 'server-error'],
    [503, 'refused'],
    [429, 'refused'],
    [400, 'client-error'],
  ];
  for (const [status, kind] of cases) {
    it(`HTTP ${status} fails the sample as ${kind}, quoting the OpenAI error message`, async () => {
      const client = await start({ fail: { status, body: { error: { message: `status ${status} from the fake`, type: 'x', code: status } } } });
      const { recorder } = await runQuery(client, [0, 1]);
      expect(recorder.failedSamples).toBe(2);
      expect(failure(recorder)).toBe(`${kind}: HTTP ${status}: status ${status} from the fake`);
      const stats = client.stats();
      expect(stats.requests).toBe(2);
      expect(stats.errorsByKind).toEqual({ ...NONE, [kind]: 2 });
      expect(stats.streamsBroken).toBe(0);
    });
  }

  it('quotes Retry-After and a plain-text body', async () => {
    const client = await start({ fail: { status: 429, body: 'slow down', retryAfterS: 3 } });
    const { recorder } = await runQuery(client, [0]);
    expect(failure(recorder)).toBe('refused: HTTP 429 (Retry-After: 3): slow down');
  });

  it('a stream longer than the request timeout fails as timeout, and the client goes on', async () => {
    const client = await start({ firstTokenMs: 20, tokenIntervalMs: 40 }, 150);
    const { recorder } = await runQuery(client, [0]);
    expect(recorder.sampleStatus.get(0)).toBe(FAILED);
    expect(failure(recorder)).toBe('timeout: no complete stream within 150 ms');
    // 10 tokens would take 380 ms; some arrived before the 150 ms cut.
    const got = recorder.tokenLog!.tokensOf(0);
    expect(got).toBeGreaterThan(0);
    expect(got).toBeLessThan(10);
    expect(client.stats().errorsByKind).toEqual({ ...NONE, timeout: 1 });
    expect(client.stats().streamsBroken).toBe(1);

    live.server!.setBehavior({ firstTokenMs: 0, tokenIntervalMs: 0 });
    const next = await runQuery(client, [1]);
    expect(next.recorder.sampleStatus.get(0)).toBe(COMPLETED);
  });

  it('headers later than the timeout: timeout with no token', async () => {
    const client = await start({ headersDelayMs: 300 }, 100);
    const { recorder } = await runQuery(client, [0]);
    expect(failure(recorder)).toBe('timeout: no complete stream within 100 ms');
    expect(recorder.tokenLog!.tokensOf(0)).toBe(0);
    expect(client.stats().streamsBroken).toBe(0);
  });

  it('a prompt index outside the workload fails that sample, not the query', async () => {
    const client = await start({});
    const { recorder } = await runQuery(client, [0, 7]);
    expect(recorder.sampleStatus.get(0)).toBe(COMPLETED);
    expect(recorder.sampleStatus.get(1)).toBe(FAILED);
    expect(failure(recorder)).toBe('client-error: no prompt 7 (the workload has 2)');
  });
});
