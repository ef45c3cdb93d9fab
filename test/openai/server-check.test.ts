import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { OpenAiBackend } from '../../src/openai/openai-backend.js';
import { type FakeOpenAiBehavior, type FakeOpenAiServer, startFakeOpenAiServer } from './fake-openai-server.js';
import { openAiOptions, prompts } from './fixtures.js';

let server: FakeOpenAiServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

async function createError(behavior: Partial<FakeOpenAiBehavior>, model: string | null, url?: string): Promise<UserError> {
  server = await startFakeOpenAiServer(behavior);
  try {
    const backend = await OpenAiBackend.create(openAiOptions(url ?? server.url, { model }), prompts(1, 4));
    await backend.dispose();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).kind).toBe(url?.startsWith('grpc') ? 'flag' : 'server');
    return error as UserError;
  }
  throw new Error('create() succeeded');
}

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('openai: the server check before a run', () => {
  it("takes the server's only model when none is named, and checks GET /v1/models", async () => {
    server = await startFakeOpenAiServer({ models: ['only-model'] });
    const backend = await OpenAiBackend.create(openAiOptions(server.url), prompts(1, 4));
    expect(backend.modelName).toBe('only-model');
    expect(backend.description.settings['model']).toBe('only-model');
    expect(backend.description.settings['serverMaxModelLen']).toBe(2048);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);
    await backend.dispose();
  });

  it('takes a named model among several', async () => {
    server = await startFakeOpenAiServer({ models: ['a', 'b'] });
    const backend = await OpenAiBackend.create(openAiOptions(server.url, { model: 'b' }), prompts(1, 4));
    expect(backend.modelName).toBe('b');
    await backend.dispose();
  });

  it('several models and none named: lists them', async () => {
    const error = await createError({ models: ['a', 'b'] }, null);
    expect(error.message).toBe(`${server!.url} serves 2 models: a, b; pass --model NAME to choose one`);
  });

  it('an unknown model: lists what is served', async () => {
    const error = await createError({ models: ['a', 'b'] }, 'c');
    expect(error.message).toBe(`${server!.url} does not serve model 'c' (GET /models); it serves: a, b`);
  });

  it('an empty list', async () => {
    const error = await createError({ models: [] }, null);
    expect(error.message).toBe(`${server!.url} lists no model (GET /models); is a model loaded?`);
  });

  it('a non-200 answer names the status, the message, and what to do', async () => {
    const error = await createError({ modelsStatus: 401 }, null);
    expect(error.message).toBe(`${server!.url}: GET /v1/models answered HTTP 401: models are not available; set OPENAI_API_KEY (or an Authorization header in $MLBENCH_AUTH_HEADER / --auth-file)`);
  });

  it('a URL without the /v1 prefix: 404 with a hint', async () => {
    server = await startFakeOpenAiServer();
    const error = await createError({}, null, `http://127.0.0.1:${server.port}`);
    expect(error.message).toMatch(/GET \/models answered HTTP 404: no route GET \/models; --url should be the OpenAI API base, usually ending in \/v1$/);
  });

  it('an answer that is not a model list', async () => {
    const error = await createError({ modelsBody: { models: ['a'] } }, null);
    expect(error.message).toBe(`${server!.url}: GET /v1/models: expected an OpenAI model list {"data": [{"id": ...}]}, got no "data" array`);
  });

  it('an answer that is not JSON', async () => {
    const error = await createError({ modelsBody: '<html>hello</html>' }, null);
    expect(error.message).toBe(`${server!.url}: GET /v1/models: the answer is not JSON; expected an OpenAI model list {"data": [{"id": ...}]}`);
  });

  it('unreachable: says so and how --url should look', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/v1`;
    let caught: unknown = null;
    try {
      await OpenAiBackend.create(openAiOptions(url), prompts(1, 4));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).message).toMatch(new RegExp(`^cannot reach ${url} \\(GET /v1/models\\): .*ECONNREFUSED.*; is the server running, and is --url its OpenAI base URL`));
  });

  it('a URL that is not http(s) is a flag error', async () => {
    const error = await createError({}, null, 'grpc://127.0.0.1:1/v1');
    expect(error.message).toBe('--url grpc://127.0.0.1:1/v1: the openai backend needs an http:// or https:// base URL, e.g. http://127.0.0.1:8000/v1');
  });
});
