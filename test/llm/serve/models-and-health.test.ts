import { describe, expect, it } from 'vitest';
import type { GenerationEngine } from '../../../src/llm/engine/types.js';
import { startLlmServer } from '../../../src/llm/serve/start-llm-server.js';
import { FakeEngine } from './fake-engine.js';
import { post, startFakeServer } from './llm-serve-helpers.js';

describe('GET /v1/models and /health', () => {
  it('lists the served model as OpenAI does, with max_model_len', async () => {
    const { url } = await startFakeServer({ maxContext: 512 });
    const response = await fetch(`${url}/models`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { object: string; data: { created: number }[] };
    expect(body).toEqual({ object: 'list', data: [{ id: 'fake-llm', object: 'model', created: expect.any(Number), owned_by: 'mlbench', max_model_len: 512 }] });
    expect(Math.abs(body.data[0]!.created - Date.now() / 1000)).toBeLessThan(60);
    expect(await (await fetch(`${url}/models/fake-llm`)).json()).toEqual(body.data[0]);
    const unknown = await fetch(`${url}/models/other`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('model_not_found');
  });

  it('/health is 503 while the engine loads and warms up, 200 once ready; generation waits for ready too', async () => {
    const engine = new FakeEngine();
    let finishLoading: (engine: GenerationEngine) => void = () => {};
    const loading = new Promise<GenerationEngine>((resolve) => {
      finishLoading = resolve;
    });
    const server = await startLlmServer({ name: 'fake-llm', host: '127.0.0.1', port: 0, engine: () => loading, maxQueue: 0, log: () => {} });
    try {
      const health = await fetch(`${server.url.replace(/\/v1$/, '')}/health`);
      expect(health.status).toBe(503);
      expect(health.headers.get('retry-after')).toBe('1');
      expect(((await health.json()) as { error: { message: string } }).error.message).toBe('Not ready: the model is loading.');
      expect((await post(`${server.url}/completions`, { prompt: 'the' })).status).toBe(503);
      finishLoading(engine);
      await server.ready;
      // The warm-up: one short generation, before ready.
      expect(engine.submitted).toHaveLength(1);
      expect(engine.submitted[0]).toMatchObject({ maxTokens: 4, stopAtEos: false });
      expect((await fetch(`${server.url.replace(/\/v1$/, '')}/health`)).status).toBe(200);
      expect(server.readyLine).toBe(`mlbench serve: ready: model fake-llm, openai ${server.url}`);
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    } finally {
      await server.close();
    }
  });

  it('a warm-up that fails rejects ready and /health says why', async () => {
    const engine = new FakeEngine();
    engine.failAfter = 1;
    const server = await startLlmServer({ name: 'fake-llm', host: '127.0.0.1', port: 0, engine, maxQueue: 0, log: () => {} });
    try {
      await expect(server.ready).rejects.toThrow('fake engine: model failure');
      const health = await fetch(`${server.url.replace(/\/v1$/, '')}/health`);
      expect(health.status).toBe(503);
      expect(((await health.json()) as { error: { message: string } }).error.message).toBe('Not ready: the model failed to load: fake engine: model failure.');
      expect(engine.closed).toBe(true);
    } finally {
      expect((await server.close()).engine).toBeNull();
    }
  });
});
