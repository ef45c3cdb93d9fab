import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOn } from '../../serve/listen.js';
import { readBody } from '../../serve/read-body.js';
import type { GenerationEngine } from '../engine/types.js';
import type { LlmApi } from '../types.js';
import { answerGeneration } from './answer-generation.js';
import { LLM_ROUTE_METHODS, type LlmRoute, parseLlmRoute } from './llm-routes.js';
import { CounterSet, type LlmServerCounters } from './llm-server-counters.js';
import { asOpenAiError, OpenAiError } from './openai-error.js';
import { parseGenerationRequest, unknownModel } from './parse-generation-request.js';
import { sendJson } from './send-json.js';

export interface LlmHttpOptions {
  /** The model's name in the API. */
  readonly name: string;
  /** Sequences waiting in the engine at most; more are refused with 503. 0 = no limit. */
  readonly maxQueue: number;
  readonly maxRequestBytes: number;
}

/** Seconds a refused client is told to wait (Retry-After). */
const RETRY_AFTER_S = '1';

/** The OpenAI-compatible API over node:http, in front of one generation engine. */
export class LlmHttpFrontend {
  readonly #server: Server;
  readonly #options: LlmHttpOptions;
  readonly #counters = new CounterSet();
  /** Unix seconds when the model became ready (GET /v1/models reports it as `created`). */
  #createdS = 0;
  #engine: GenerationEngine | null = null;
  #state: 'loading' | 'ready' | 'failed' | 'draining' = 'loading';
  #notReady = 'the model is loading';
  readonly #open = new Set<ServerResponse>();
  #idleWaiters: (() => void)[] = [];

  constructor(options: LlmHttpOptions) {
    this.#options = options;
    this.#server = createServer(this.#onRequest);
  }

  /** Resolves with the bound port; rejects with the listen error (EADDRINUSE, ...). */
  listen(host: string, port: number): Promise<number> {
    return listenOn(this.#server, host, port);
  }

  /** The engine is loaded and warmed up: generation requests are accepted from now on. */
  markReady(engine: GenerationEngine): void {
    if (this.#state !== 'loading') return;
    this.#engine = engine;
    this.#createdS = Math.floor(Date.now() / 1000);
    this.#state = 'ready';
  }

  markFailed(reason: string): void {
    if (this.#state !== 'loading') return;
    this.#state = 'failed';
    this.#notReady = `the model failed to load: ${reason}`;
  }

  counters(): LlmServerCounters {
    return this.#counters.snapshot();
  }

  /**
   * Stops accepting connections and refuses new requests (503), lets the responses in progress
   * finish for up to `drainTimeoutMs`, then cuts the rest (their generations are cancelled).
   */
  async close(drainTimeoutMs: number): Promise<void> {
    this.#state = 'draining';
    this.#notReady = 'the server is shutting down';
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    if (this.#open.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const drained = new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, drainTimeoutMs);
      });
      await Promise.race([drained, timedOut]);
      clearTimeout(timer);
      // Cut: each 'close' cancels its generation (before the engine is closed), then #open empties.
      for (const response of this.#open) response.destroy();
      await drained;
    }
    this.#server.closeAllConnections();
    await closed;
  }

  readonly #onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    this.#open.add(response);
    response.once('close', () => {
      this.#open.delete(response);
      if (this.#open.size === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
    });
    this.#handle(request, response).catch((error: unknown) => this.#sendError(response, error));
  };

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? '/';
    const route = parseLlmRoute(url);
    if (route === null) {
      throw new OpenAiError('not-found', `No endpoint ${request.method} ${url}: this server answers GET /v1/models, POST /v1/completions, POST /v1/chat/completions and GET /health.`);
    }
    const method = LLM_ROUTE_METHODS[route.kind];
    if (request.method !== method) {
      response.setHeader('allow', method);
      throw new OpenAiError('method', `${request.method} ${url}: this endpoint takes ${method}.`);
    }
    await this.#answer(route, request, response);
  }

  async #answer(route: LlmRoute, request: IncomingMessage, response: ServerResponse): Promise<void> {
    switch (route.kind) {
      case 'health':
        if (this.#state !== 'ready') throw new OpenAiError('not-ready', `Not ready: ${this.#notReady}.`);
        return sendJson(response, 200, { status: 'ok' });
      case 'models':
        return sendJson(response, 200, { object: 'list', data: this.#modelCards() });
      case 'model': {
        const card = this.#modelCards().find((c) => c.id === route.id);
        if (card === undefined) throw unknownModel(route.id, this.#options.name);
        return sendJson(response, 200, card);
      }
      case 'completions':
        return this.#generate('completions', request, response);
      case 'chat':
        return this.#generate('chat', request, response);
    }
  }

  async #generate(api: LlmApi, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const limit = this.#options.maxRequestBytes;
    const read = await readBody(request, limit);
    if (read.kind === 'too-large') throw new OpenAiError('too-large', `The request body (${read.bytes} bytes) is over this server's limit of ${limit} bytes (--max-request-mb).`);
    const engine = this.#engine;
    if (engine === null || this.#state !== 'ready') throw new OpenAiError('not-ready', `Not ready: ${this.#notReady}.`);
    const plan = parseGenerationRequest(api, read.body, { name: this.#options.name, tokenizer: engine.tokenizer, maxContext: engine.maxContext });
    const { maxQueue } = this.#options;
    const waiting = engine.stats().waiting;
    if (maxQueue > 0 && waiting >= maxQueue) {
      throw new OpenAiError('queue-full', `The server is busy: ${waiting} sequences are already waiting (--max-queue ${maxQueue}). Retry later.`, { code: 'queue_full' });
    }
    const who = { api, id: `${api === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomUUID().replaceAll('-', '')}`, created: Math.floor(Date.now() / 1000), model: this.#options.name };
    this.#counters.count(await answerGeneration(engine, plan, who, response));
  }

  #modelCards(): { id: string; object: 'model'; created: number; owned_by: 'mlbench'; max_model_len: number | null }[] {
    const maxModelLen = this.#engine?.maxContext ?? null;
    return [{ id: this.#options.name, object: 'model', created: this.#createdS, owned_by: 'mlbench', max_model_len: maxModelLen }];
  }

  #sendError(response: ServerResponse, error: unknown): void {
    if (response.headersSent || response.destroyed) {
      response.destroy();
      return;
    }
    const failure = asOpenAiError(error);
    if (failure.kind === 'queue-full') this.#counters.refused++;
    else if (failure.status < 500) this.#counters.rejected++;
    const headers: Record<string, string> = failure.status === 503 ? { 'retry-after': RETRY_AFTER_S } : {};
    if (this.#state === 'draining') headers['connection'] = 'close';
    sendJson(response, failure.status, failure.toJson(), headers);
  }
}
