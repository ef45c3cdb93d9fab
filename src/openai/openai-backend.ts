import { performance } from 'node:perf_hooks';
import type { Pool } from 'undici';
import { UserError } from '../cli/errors.js';
import type { LlmApi, LlmPrompt } from '../llm/types.js';
import type { Query, ResponseSink, SystemUnderTest } from '../loadgen/types.js';
import { redactError } from '../remote/auth.js';
import { type HttpEndpoint, parseHttpUrl } from '../remote/endpoint.js';
import { keepAlivePool } from '../remote/http-pool.js';
import { packageVersion } from '../remote/package-version.js';
import { RemoteError } from '../remote/types.js';
import type { BackendDescription } from '../results/types.js';
import { Fifo } from './fifo.js';
import { API_PATHS, requestBody } from './request-body.js';
import { checkOpenAiServer, type ServedModel } from './server-check.js';
import { OpenAiStatsRecorder } from './stats-recorder.js';
import { StreamReader } from './stream-reader.js';
import { StreamRequest } from './stream-request.js';
import type { OpenAiOptions, OpenAiStats } from './types.js';

/** A sample waiting in the client FIFO for a free stream slot. */
interface Waiting {
  readonly sampleId: number;
  readonly promptIndex: number;
  readonly sink: ResponseSink;
  readonly queuedAtNs: number;
}

/**
 * An OpenAI-compatible server (vLLM, TGI, SGLang, llama.cpp, `mlbench serve --llm`, hosted
 * APIs) as the system under test: one streaming request per sample, token arrivals recorded
 * as the chunks are parsed. At most `maxOutstanding` streams are open (one per pool
 * connection, no pipelining); later samples wait in a FIFO here, counted and timed, so the
 * wait shows rather than hiding in the connection pool.
 */
export class OpenAiBackend implements SystemUnderTest {
  readonly name = 'openai';
  readonly modelName: string;
  readonly description: BackendDescription;
  readonly #pool: Pool;
  readonly #origin: string;
  readonly #path: string;
  readonly #api: LlmApi;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #requestHeaders: Readonly<Record<string, string>>;
  /** Request bodies built once, before the run: the issue path only hands them over. */
  readonly #bodies: readonly Buffer[];
  readonly #timeoutMs: number;
  readonly #maxOutstanding: number;
  readonly #waiting = new Fifo<Waiting>();
  readonly #stats = new OpenAiStatsRecorder();
  #inFlight = 0;
  #disposed = false;
  #pumping = false;

  private constructor(options: OpenAiOptions, endpoint: HttpEndpoint, pool: Pool, model: ServedModel, prompts: readonly LlmPrompt[]) {
    this.#pool = pool;
    this.modelName = model.id;
    this.#origin = endpoint.origin;
    this.#api = options.api;
    this.#path = `${endpoint.basePath}${API_PATHS[options.api]}`;
    this.#headers = options.headers;
    this.#requestHeaders = { ...options.headers, 'content-type': 'application/json', accept: 'text/event-stream' };
    const extensions = { ignoreEos: options.ignoreEos, continuousUsage: options.continuousUsage ?? true };
    this.#bodies = prompts.map((prompt) => requestBody(options.api, model.id, prompt, extensions));
    this.#timeoutMs = options.requestTimeoutMs;
    this.#maxOutstanding = Math.max(1, options.maxOutstanding);
    this.description = {
      name: 'openai',
      versions: { undici: packageVersion('undici'), 'eventsource-parser': packageVersion('eventsource-parser') },
      settings: {
        url: endpoint.display,
        model: model.id,
        api: options.api,
        maxOutstanding: this.#maxOutstanding,
        requestTimeoutMs: options.requestTimeoutMs,
        ignoreEos: options.ignoreEos,
        continuousUsage: options.continuousUsage ?? true,
        serverMaxModelLen: model.maxModelLen,
        authHeaders: Object.keys(options.headers),
      },
      coldStartNs: null,
    };
  }

  /** Connects and checks the server (GET {url}/models): every problem is a UserError, before any run. */
  static async create(options: OpenAiOptions, prompts: readonly LlmPrompt[]): Promise<OpenAiBackend> {
    const endpoint = parseOpenAiUrl(options.url);
    const pool = keepAlivePool(endpoint.origin, options.maxOutstanding);
    try {
      const model = await checkOpenAiServer(pool, endpoint, options.headers, { model: options.model, timeoutMs: options.requestTimeoutMs });
      return new OpenAiBackend(options, endpoint, pool, model, prompts);
    } catch (error) {
      await pool.destroy().catch(() => undefined);
      throw error;
    }
  }

  /** Never throws: every sample ends in sink.complete or sink.fail, once. */
  issueQuery(query: Query, sink: ResponseSink): void {
    for (let i = 0; i < query.count; i++) {
      const sampleId = query.firstSampleId + i;
      const promptIndex = query.sampleIndices[i]!;
      if (this.#disposed) sink.fail(sampleId, new RemoteError('connection', 'the client is closed'));
      else if (this.#inFlight < this.#maxOutstanding) this.#send(sampleId, promptIndex, sink);
      else this.#waiting.push({ sampleId, promptIndex, sink, queuedAtNs: nowNs() });
    }
  }

  /** Nothing is held back for batching: queued samples go out as soon as a stream ends. */
  flushQueries(): void {}

  stats(): OpenAiStats {
    return this.#stats.stats();
  }

  resetStats(): void {
    this.#stats.reset();
  }

  /** Abandons streams in flight (they fail as connection errors) and samples still queued: the run is over. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (let w = this.#waiting.shift(); w !== undefined; w = this.#waiting.shift()) {
      w.sink.fail(w.sampleId, new RemoteError('connection', 'the client closed before the request was sent'));
    }
    await this.#pool.destroy();
  }

  #send(sampleId: number, promptIndex: number, sink: ResponseSink): void {
    const body = this.#bodies[promptIndex];
    if (body === undefined) {
      sink.fail(sampleId, new RemoteError('client-error', `no prompt ${promptIndex} (the workload has ${this.#bodies.length})`));
      return;
    }
    this.#inFlight++;
    const epoch = this.#stats.sent();
    const stream: StreamReader = new StreamReader(this.#api, sampleId, sink, (error) => {
      if (error === null) {
        sink.complete(sampleId, { tokens: stream.totalTokens, data: stream.output() });
        this.#stats.completed(epoch, stream);
      } else {
        sink.fail(sampleId, redactError(error, this.#headers));
        this.#stats.failed(epoch, error.kind, stream);
      }
    });
    const request = new StreamRequest(stream, this.#timeoutMs, this.#onClosed);
    try {
      this.#pool.dispatch({ origin: this.#origin, path: this.#path, method: 'POST', headers: this.#requestHeaders, body }, request);
    } catch (error) {
      // undici reports most errors through the handler; a throw must still settle the sample.
      request.failed(error);
    }
  }

  /** A stream's connection is free: the longest-waiting sample takes it. */
  readonly #onClosed = (): void => {
    this.#inFlight--;
    this.#pump();
  };

  /** Sends queued samples while slots are free. Not re-entered: a send that fails at once frees its slot inside the loop. */
  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#disposed && this.#inFlight < this.#maxOutstanding) {
        const next = this.#waiting.shift();
        if (next === undefined) break;
        this.#stats.dequeued(nowNs() - next.queuedAtNs);
        this.#send(next.sampleId, next.promptIndex, next.sink);
      }
    } finally {
      this.#pumping = false;
    }
  }
}

/** The base URL with its API prefix (usually /v1): http(s) only. */
function parseOpenAiUrl(url: string): HttpEndpoint {
  if (!/^https?:\/\//i.test(url)) {
    throw new UserError('flag', `--url ${url.replace(/\/\/[^@/]*@/, '//<credentials>@')}: the openai backend needs an http:// or https:// base URL, e.g. http://127.0.0.1:8000/v1`);
  }
  return parseHttpUrl(url);
}

function nowNs(): number {
  return Math.round(performance.now() * 1e6);
}
