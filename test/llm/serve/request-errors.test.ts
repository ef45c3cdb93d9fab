import { describe, expect, it } from 'vitest';
import { post, startFakeServer } from './llm-serve-helpers.js';

interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** [what, path, body, status, param, message fragment] */
const BAD_REQUESTS: [string, string, unknown, number, string | null, string][] = [
  ['malformed JSON', 'completions', '{"prompt": ', 400, null, 'The request body is not valid JSON'],
  ['a body that is not an object', 'completions', '["the"]', 400, null, 'The request body must be a JSON object, got an array.'],
  ['an unknown model', 'completions', { model: 'gpt-4', prompt: 'the' }, 404, 'model', 'The model `gpt-4` does not exist. This server serves `fake-llm`.'],
  ['n of 2', 'completions', { prompt: 'the', n: 2 }, 400, 'n', 'n must be 1 on this server'],
  ['stop', 'completions', { prompt: 'the', stop: ['\n'] }, 400, 'stop', 'stop is not supported by this server'],
  ['no prompt', 'completions', { max_tokens: 3 }, 400, 'prompt', 'prompt is required.'],
  ['a numeric prompt', 'completions', { prompt: 7 }, 400, 'prompt', 'prompt must be a string or an array of one string, got a number.'],
  ['a batch of prompts', 'completions', { prompt: ['a', 'b'] }, 400, 'prompt', 'an array of 2 of a string'],
  ['a token-id prompt', 'completions', { prompt: [1, 2, 3] }, 400, 'prompt', 'an array of 3 of a number'],
  ['max_tokens as a string', 'completions', { prompt: 'the', max_tokens: '5' }, 400, 'max_tokens', 'max_tokens must be an integer, got a string.'],
  ['max_tokens 0', 'completions', { prompt: 'the', max_tokens: 0 }, 400, 'max_tokens', 'max_tokens must be at least 1, got 0.'],
  ['max_tokens 1.5', 'completions', { prompt: 'the', max_tokens: 1.5 }, 400, 'max_tokens', 'max_tokens must be an integer, got a number.'],
  ['max_completion_tokens -1', 'chat/completions', { messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: -1 }, 400, 'max_completion_tokens', 'at least 1'],
  ['stream as a string', 'completions', { prompt: 'the', stream: 'yes' }, 400, 'stream', 'stream must be a boolean, got a string.'],
  ['stream_options without stream', 'completions', { prompt: 'the', stream_options: { include_usage: true } }, 400, 'stream_options', 'stream_options can only be given when stream is true.'],
  ['include_usage as a number', 'completions', { prompt: 'the', stream: true, stream_options: { include_usage: 1 } }, 400, 'include_usage', 'include_usage must be a boolean'],
  ['temperature as a string', 'completions', { prompt: 'the', temperature: 'hot' }, 400, 'temperature', 'temperature must be a number, got a string.'],
  [
    'prompt + max_tokens over the context',
    'completions',
    { prompt: 'the of and', max_tokens: 62 },
    400,
    'max_tokens',
    "This model's maximum context length is 64 tokens. However, you requested 65 tokens (3 in the prompt, 62 in the completion). Please reduce the length of the prompt or completion.",
  ],
  ['no messages', 'chat/completions', { max_tokens: 3 }, 400, 'messages', 'messages is required.'],
  ['messages as a string', 'chat/completions', { messages: 'hi' }, 400, 'messages', 'messages must be an array, got a string.'],
  ['no message at all', 'chat/completions', { messages: [] }, 400, 'messages', 'messages must hold at least one message.'],
  ['an unknown role', 'chat/completions', { messages: [{ role: 'tool', content: 'x' }] }, 400, 'messages[0].role', 'messages[0].role must be one of system, user, assistant, got "tool".'],
  ['an image part', 'chat/completions', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] }, 400, 'messages[0].content[0]', 'this server takes text only'],
  ['content as a number', 'chat/completions', { messages: [{ role: 'user', content: 5 }] }, 400, 'messages[0].content', 'must be a string or an array of text parts, got a number.'],
  [
    'messages that fill the context, without max_tokens',
    'chat/completions',
    // "user:" and "\nassistant:" are byte tokens (6 and 11), each "the" one word token: 87.
    { messages: [{ role: 'user', content: 'the '.repeat(70).trim() }] },
    400,
    'messages',
    "This model's maximum context length is 64 tokens. However, your request has 87 input tokens. Please reduce the length of the input messages.",
  ],
];

describe('bad requests get OpenAI error objects, and the server keeps serving', () => {
  it.each(BAD_REQUESTS)('%s', async (_what, path, body, status, param, message) => {
    const { url, server } = await startFakeServer();
    const response = await post(`${url}/${path}`, body);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    const json = (await response.json()) as ErrorBody;
    expect(json.error.type).toBe('invalid_request_error');
    expect(json.error.param).toBe(param);
    expect(json.error.message).toContain(message);
    expect(json.error.code).toBe(status === 404 ? 'model_not_found' : null);
    // Still serving after it.
    expect((await post(`${url}/completions`, { prompt: 'the', max_tokens: 1 })).status).toBe(200);
    expect((await server.close()).counters).toMatchObject({ rejected: 1, completed: 1 });
  });

  it('an unknown route is a 404, a wrong method a 405 naming the right one', async () => {
    const { url } = await startFakeServer();
    const unknown = await fetch(`${url}/embeddings`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).error.message).toBe(
      'No endpoint POST /v1/embeddings: this server answers GET /v1/models, POST /v1/completions, POST /v1/chat/completions and GET /health.',
    );
    const wrongMethod = await fetch(`${url}/completions`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(((await wrongMethod.json()) as ErrorBody).error.message).toBe('GET /v1/completions: this endpoint takes POST.');
    // A model id that is not valid percent-encoding is no route, not a crash.
    expect((await fetch(`${url}/models/%E0%A4%A`)).status).toBe(404);
    expect((await fetch(`${url}/models`)).status).toBe(200);
  });

  it('a body over the size limit is a 413', async () => {
    const { url } = await startFakeServer({}, { maxRequestBytes: 1000 });
    const response = await post(`${url}/completions`, { prompt: 'the '.repeat(300) });
    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorBody).error.message).toMatch(/^The request body \(\d+ bytes\) is over this server's limit of 1000 bytes/);
  });

  it('the context limit counts max_tokens: exactly the context is accepted', async () => {
    const { url } = await startFakeServer({ stepMs: 1 });
    // 3 prompt tokens + 61 = 64, the whole context.
    const response = await post(`${url}/completions`, { prompt: 'the of and', max_tokens: 61 });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { usage: { total_tokens: number } }).usage.total_tokens).toBe(64);
  });

  it('nulls count as absent, as OpenAI clients send them', async () => {
    const { url } = await startFakeServer();
    const body = { model: null, prompt: 'the', max_tokens: 2, stop: null, n: null, stream: null, stream_options: null, temperature: null, seed: 5, user: 'x' };
    const response = await post(`${url}/completions`, body);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBe(2);
  });
});
