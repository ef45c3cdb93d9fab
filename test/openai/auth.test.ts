import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { openAiAuthHeaders } from '../../src/openai/auth.js';
import { OpenAiBackend } from '../../src/openai/openai-backend.js';
import { startFakeOpenAiServer } from './fake-openai-server.js';
import { closedAfterEachTest, openAiOptions, prompts, runQuery } from './fixtures.js';

const KEY = 'sk-test-7f3a9c2e51d84b06';

const live = closedAfterEachTest();

describe('openAiAuthHeaders', () => {
  it('adds Authorization: Bearer from OPENAI_API_KEY', () => {
    expect(openAiAuthHeaders({ OPENAI_API_KEY: KEY }, { 'x-team': 'a' })).toEqual({ 'x-team': 'a', authorization: `Bearer ${KEY}` });
  });

  it('an explicit authorization header wins, whatever its case', () => {
    expect(openAiAuthHeaders({ OPENAI_API_KEY: KEY }, { authorization: 'Basic abc' })).toEqual({ authorization: 'Basic abc' });
    expect(openAiAuthHeaders({ OPENAI_API_KEY: KEY }, { Authorization: 'Basic abc' })).toEqual({ Authorization: 'Basic abc' });
  });

  it('no key, or an empty one: the headers as given', () => {
    expect(openAiAuthHeaders({}, { 'x-team': 'a' })).toEqual({ 'x-team': 'a' });
    expect(openAiAuthHeaders({ OPENAI_API_KEY: '  ' }, {})).toEqual({});
  });
});

describe('openai: the API key', () => {
  it('is sent with every request, and appears in no description, stats or failure message', async () => {
    live.server = await startFakeOpenAiServer();
    const headers = openAiAuthHeaders({ OPENAI_API_KEY: KEY }, {});
    live.backend = await OpenAiBackend.create(openAiOptions(live.server.url, { headers }), prompts(2, 3));
    const ok = await runQuery(live.backend, [0]);
    expect(ok.recorder.completedSamples).toBe(1);

    live.server.setBehavior({ fail: { status: 401, body: {} }, echoAuthorization: true });
    const failed = await runQuery(live.backend, [1]);
    expect(failed.recorder.failedSamples).toBe(1);
    const message = failed.recorder.failures[0]!.message;
    expect(message).toBe('client-error: HTTP 401: refused (you sent authorization: <redacted>)');

    expect(live.server.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`, `Bearer ${KEY}`]);
    expect(live.backend.description.settings['authHeaders']).toEqual(['authorization']);
    const shown = JSON.stringify([live.backend.description, live.backend.stats(), [...failed.recorder.errorCounts.keys()], message]);
    expect(shown).not.toContain(KEY);
    expect(shown).not.toContain(KEY.slice(8));
  });

  it('is redacted from the server check error too', async () => {
    live.server = await startFakeOpenAiServer({ modelsStatus: 403, echoAuthorization: true });
    const headers = openAiAuthHeaders({ OPENAI_API_KEY: KEY }, {});
    let caught: unknown = null;
    try {
      await OpenAiBackend.create(openAiOptions(live.server.url, { headers }), prompts(1, 3));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserError);
    const message = (caught as UserError).message;
    expect(message).toContain('HTTP 403: models are not available (you sent authorization: <redacted>)');
    expect(message).not.toContain(KEY);
  });
});
