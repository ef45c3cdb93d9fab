import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A fake OpenAI-compatible server for tests, on 127.0.0.1 with a port chosen by the OS.
 * It serves GET /v1/models, POST /v1/completions and POST /v1/chat/completions, and streams
 * tokens with known timing: token k (0-based) of a request leaves at
 *
 *   arrival + firstTokenMs + floor(k / tokensPerChunk) * tokenIntervalMs
 *
 * measured from when the request body was read, on absolute deadlines (no drift). Output
 * tokens are the words "t0 ", "t1 ", ...; how many is the request's max_tokens unless
 * `outputTokens` says. `stream: false` is not supported (the client always streams).
 *
 *   const server = await startFakeOpenAiServer({ firstTokenMs: 50, tokenIntervalMs: 10 });
 *   // ... point the client at server.url (http://127.0.0.1:PORT/v1)
 *   server.setBehavior({ breakAfterTokens: 5 }); // later requests break midway
 *   server.requests; // what arrived, bodies parsed
 *   await server.close();
 */
export interface FakeOpenAiBehavior {
  /** Served by GET /v1/models (default ['fake-llm']). */
  readonly models: readonly string[];
  /** Status of GET /v1/models (default 200); another answers {"error": {"message": ...}}. */
  readonly modelsStatus: number;
  /** Answer GET /v1/models with this body instead of the list (a string goes as text/plain; default null). */
  readonly modelsBody: unknown;
  /** Before the response headers of a completion, in ms (default 0). */
  readonly headersDelayMs: number;
  /** From the request's arrival to the first token chunk, in ms (default 0; never before the headers). */
  readonly firstTokenMs: number;
  /** Between token chunks, in ms (default 0). */
  readonly tokenIntervalMs: number;
  /** Tokens carried by each chunk (default 1); the last chunk may carry fewer. */
  readonly tokensPerChunk: number;
  /** Output tokens; null = the request's max_tokens (default null). */
  readonly outputTokens: number | null;
  /**
   * 'final': one usage-only chunk before [DONE] (when the request asks include_usage);
   * 'continuous': also usage with the running counts in every chunk; 'none': no usage (default 'final').
   */
  readonly usage: 'none' | 'final' | 'continuous';
  /** finish_reason on the last token chunk (default 'length'); null: none sent. */
  readonly finishReason: string | null;
  /** Send "data: [DONE]" at the end (default true). */
  readonly sendDone: boolean;
  /** Destroy the socket once this many tokens went out (default null: never). */
  readonly breakAfterTokens: number | null;
  /** Send an event that is not JSON once this many tokens went out, then stop (default null). */
  readonly malformedAfterTokens: number | null;
  /** Send vLLM's error event {"error": {...}} once this many tokens went out, then end (default null). */
  readonly errorEventAfterTokens: number | null;
  /** Answer completions with this status and body instead of a stream (default null: stream). */
  readonly fail: { readonly status: number; readonly body: unknown; readonly retryAfterS?: number } | null;
  /** Answer 200 with one JSON document, as a server that ignores "stream": true does (default false). */
  readonly jsonInsteadOfStream: boolean;
  /** A careless server: error messages quote the request's Authorization header (to test redaction; default false). */
  readonly echoAuthorization: boolean;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; null for GET or a body that is not JSON. */
  readonly body: Record<string, unknown> | null;
}

export interface FakeOpenAiServer {
  /** The base URL the client takes: http://127.0.0.1:PORT/v1 */
  readonly url: string;
  readonly port: number;
  /** Every request received, in arrival order (models checks included). */
  readonly requests: readonly ReceivedRequest[];
  /** Completion requests received so far. */
  completionRequests(): ReceivedRequest[];
  /** The most completion streams that were open at once. */
  readonly maxConcurrentStreams: number;
  /** Changes the behaviour for requests that arrive from now on. */
  setBehavior(changes: Partial<FakeOpenAiBehavior>): void;
  close(): Promise<void>;
}

export const FAKE_MODEL = 'fake-llm';

const DEFAULTS: FakeOpenAiBehavior = {
  models: [FAKE_MODEL],
  modelsStatus: 200,
  modelsBody: null,
  headersDelayMs: 0,
  firstTokenMs: 0,
  tokenIntervalMs: 0,
  tokensPerChunk: 1,
  outputTokens: null,
  usage: 'final',
  finishReason: 'length',
  sendDone: true,
  breakAfterTokens: null,
  malformedAfterTokens: null,
  errorEventAfterTokens: null,
  fail: null,
  jsonInsteadOfStream: false,
  echoAuthorization: false,
};

export async function startFakeOpenAiServer(initial: Partial<FakeOpenAiBehavior> = {}): Promise<FakeOpenAiServer> {
  let behavior: FakeOpenAiBehavior = { ...DEFAULTS, ...initial };
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  let openStreams = 0;
  let maxConcurrentStreams = 0;

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const arrivedMs = performance.now();
      const body = parseBody(raw);
      const path = (req.url ?? '').split('?')[0] ?? '';
      requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      if (req.method === 'GET' && path === '/v1/models') return answerModels(res, behavior, echoed(behavior, req));
      const api = path === '/v1/completions' ? 'completions' : path === '/v1/chat/completions' ? 'chat' : null;
      if (req.method !== 'POST' || api === null) return sendJson(res, 404, { error: { message: `no route ${req.method} ${path}` } });
      openStreams++;
      maxConcurrentStreams = Math.max(maxConcurrentStreams, openStreams);
      res.on('close', () => openStreams--);
      streamCompletion(res, api, body ?? {}, behavior, arrivedMs, echoed(behavior, req));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    completionRequests: () => requests.filter((r) => r.method === 'POST'),
    get maxConcurrentStreams() {
      return maxConcurrentStreams;
    },
    setBehavior(changes) {
      behavior = { ...behavior, ...changes };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function answerModels(res: ServerResponse, behavior: FakeOpenAiBehavior, echo: string): void {
  if (behavior.modelsStatus !== 200) {
    sendJson(res, behavior.modelsStatus, { error: { message: `models are not available${echo}`, code: behavior.modelsStatus } });
    return;
  }
  if (behavior.modelsBody !== null) {
    sendJson(res, 200, behavior.modelsBody);
    return;
  }
  sendJson(res, 200, { object: 'list', data: behavior.models.map((id) => ({ id, object: 'model', owned_by: 'fake', max_model_len: 2048 })) });
}

/** The stream of one completion, every write on an absolute deadline from the request's arrival. */
function streamCompletion(res: ServerResponse, api: 'completions' | 'chat', body: Record<string, unknown>, behavior: FakeOpenAiBehavior, arrivedMs: number, echo: string): void {
  const timers: NodeJS.Timeout[] = [];
  let broken = false;
  // Node's timers may fire up to a millisecond early: re-arm until the deadline has passed, so nothing leaves before its time.
  const at = (offsetMs: number, fn: () => void): void => {
    const deadlineMs = arrivedMs + offsetMs;
    const wake = (): void => {
      const leftMs = deadlineMs - performance.now();
      if (leftMs <= 0) fn();
      else timers.push(setTimeout(wake, Math.ceil(leftMs)));
    };
    timers.push(setTimeout(wake, Math.max(0, Math.ceil(deadlineMs - performance.now()))));
  };
  res.on('close', () => {
    for (const timer of timers) clearTimeout(timer);
  });

  at(behavior.headersDelayMs, () => {
    if (behavior.fail !== null) {
      const retry: Record<string, string> = behavior.fail.retryAfterS === undefined ? {} : { 'retry-after': String(behavior.fail.retryAfterS) };
      sendJson(res, behavior.fail.status, echo === '' ? behavior.fail.body : { error: { message: `refused${echo}` } }, retry);
      return;
    }
    if (behavior.jsonInsteadOfStream) {
      sendJson(res, 200, { id: 'cmpl-fake', object: 'text_completion', choices: [{ index: 0, text: 'not streamed', finish_reason: 'length' }] });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    // Chat streams open with the assistant's role and no text, as OpenAI and vLLM do.
    if (api === 'chat') writeEvent(res, chunk(api, '', null, continuousUsage(behavior, body, 0)));
  });

  const total = behavior.outputTokens ?? (typeof body['max_tokens'] === 'number' ? body['max_tokens'] : 16);
  const wantsUsage = (body['stream_options'] as { include_usage?: unknown } | undefined)?.include_usage === true;
  const perChunk = Math.max(1, behavior.tokensPerChunk);
  const chunkCount = Math.ceil(total / perChunk);
  const firstMs = Math.max(behavior.firstTokenMs, behavior.headersDelayMs);
  for (let c = 0; c < chunkCount; c++) {
    const firstToken = c * perChunk;
    const sentAfter = Math.min(total, firstToken + perChunk);
    at(firstMs + c * behavior.tokenIntervalMs, () => {
      if (broken || res.destroyed || res.writableEnded || !res.headersSent) return;
      if (stopBefore(res, behavior, firstToken)) return;
      const text = Array.from({ length: sentAfter - firstToken }, (_, k) => `t${firstToken + k} `).join('');
      const last = sentAfter === total;
      const event = chunk(api, text, last ? behavior.finishReason : null, continuousUsage(behavior, body, sentAfter));
      if (behavior.breakAfterTokens !== null && sentAfter >= behavior.breakAfterTokens) {
        // Once the chunk has reached the kernel: the client sees the tokens, then a dead connection.
        broken = true;
        res.write(`data: ${JSON.stringify(event)}\n\n`, () => res.socket?.destroy());
        return;
      }
      writeEvent(res, event);
      if (!last) return;
      if (wantsUsage && behavior.usage !== 'none') writeEvent(res, { id: 'cmpl-fake', choices: [], usage: usageOf(body, total) });
      if (behavior.sendDone) res.write('data: [DONE]\n\n');
      res.end();
    });
  }
}

/** Faults that strike before token `sent` goes out; true when the stream stopped. */
function stopBefore(res: ServerResponse, behavior: FakeOpenAiBehavior, sent: number): boolean {
  if (behavior.malformedAfterTokens !== null && sent >= behavior.malformedAfterTokens) {
    res.write('data: {"choices": [{"text": "cut\n\n');
    res.end();
    return true;
  }
  if (behavior.errorEventAfterTokens !== null && sent >= behavior.errorEventAfterTokens) {
    writeEvent(res, { error: { object: 'error', message: 'the engine failed', type: 'InternalServerError', code: 500 } });
    res.end();
    return true;
  }
  return false;
}

function chunk(api: 'completions' | 'chat', text: string, finishReason: string | null, usage: object | null): object {
  const choice =
    api === 'chat'
      ? { index: 0, delta: text === '' ? { role: 'assistant', content: '' } : { content: text }, finish_reason: finishReason }
      : { index: 0, text, finish_reason: finishReason };
  return { id: 'cmpl-fake', object: api === 'chat' ? 'chat.completion.chunk' : 'text_completion', choices: [choice], ...(usage === null ? {} : { usage }) };
}

function continuousUsage(behavior: FakeOpenAiBehavior, body: Record<string, unknown>, completionTokens: number): object | null {
  const asked = (body['stream_options'] as { continuous_usage_stats?: unknown } | undefined)?.continuous_usage_stats === true;
  return behavior.usage === 'continuous' && asked ? usageOf(body, completionTokens) : null;
}

/** Prompt tokens: the prompt's (or the messages') words, a stand-in for a tokenizer. */
function usageOf(body: Record<string, unknown>, completionTokens: number): object {
  const text = typeof body['prompt'] === 'string' ? body['prompt'] : Array.isArray(body['messages']) ? body['messages'].map((m: { content?: unknown }) => String(m.content ?? '')).join(' ') : '';
  const promptTokens = text.split(/\s+/).filter((w) => w !== '').length;
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

/** What a careless server quotes back: '' unless echoAuthorization. */
function echoed(behavior: FakeOpenAiBehavior, req: IncomingMessage): string {
  return behavior.echoAuthorization ? ` (you sent authorization: ${req.headers.authorization ?? 'nothing'})` : '';
}

function writeEvent(res: ServerResponse, data: object): void {
  if (!res.destroyed && !res.writableEnded) res.write(`data: ${JSON.stringify(data)}\n\n`);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function parseBody(raw: string): Record<string, unknown> | null {
  try {
    const json = JSON.parse(raw) as unknown;
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
