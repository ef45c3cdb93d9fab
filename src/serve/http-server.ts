import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BufferPool } from '../backends/buffer-pool.js';
import { decodeInferRequest, type EncodedBody, encodeInferResponse, parseJsonLengthHeader } from '../kserve/http-codec.js';
import { BINARY_HEADER, type ModelMetadata } from '../kserve/types.js';
import { parseRoute, ROUTE_METHODS, type Route } from './http-routes.js';
import { type InferenceCore, MODEL_VERSION } from './inference-core.js';
import { listenOn } from './listen.js';
import { readBody } from './read-body.js';
import { asServeError, HTTP_STATUS, ServeError } from './serve-error.js';
import { SERVER_EXTENSIONS, SERVER_NAME } from './server-identity.js';
import { tritonStatistics } from './triton-statistics.js';

export interface HttpFrontendOptions {
  readonly maxRequestBytes: number;
  readonly serverVersion: string;
}

/** The largest repository-index body we read (it holds at most a couple of flags). */
const SMALL_BODY_BYTES = 64 * 1024;

/** The v2 REST API over node:http (keep-alive), in front of the core. */
export class HttpFrontend {
  readonly #server: Server;
  readonly #core: InferenceCore;
  readonly #options: HttpFrontendOptions;
  readonly #bodies = new BufferPool();
  #active = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(core: InferenceCore, options: HttpFrontendOptions) {
    this.#core = core;
    this.#options = options;
    this.#server = createServer(this.#onRequest);
  }

  /** Resolves with the bound port; rejects with the listen error (EADDRINUSE, ...). */
  listen(host: string, port: number): Promise<number> {
    return listenOn(this.#server, host, port);
  }

  /** Stops accepting connections, lets requests in progress finish, then closes every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    if (this.#active > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    this.#server.closeAllConnections();
    await closed;
  }

  readonly #onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    this.#active++;
    response.once('close', () => {
      this.#active--;
      if (this.#active === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
    });
    this.#handle(request, response).catch((error: unknown) => this.#sendError(response, error));
  };

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? '/';
    const route = parseRoute(url);
    if (route === null) {
      throw new ServeError('not-found', `no endpoint ${request.method} ${url}: mlbench serve answers the KServe v2 API under /v2 (e.g. GET /v2/health/ready, POST /v2/models/${this.#core.name}/infer)`);
    }
    const method = ROUTE_METHODS[route.kind];
    if (request.method !== method) {
      response.setHeader('allow', method);
      throw new ServeError('method', `${request.method} ${url}: this endpoint takes ${method}`);
    }
    await this.#answer(route, request, response);
  }

  async #answer(route: Route, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const core = this.#core;
    switch (route.kind) {
      case 'live':
        return this.#json(response, 200, { live: true });
      case 'ready':
        if (!core.ready) throw new ServeError('unavailable', `not ready: ${core.notReadyReason}`);
        return this.#json(response, 200, { ready: true });
      case 'server-metadata':
        return this.#json(response, 200, { name: SERVER_NAME, version: this.#options.serverVersion, extensions: SERVER_EXTENSIONS });
      case 'repository-index': {
        const onlyReady = await this.#readyFlag(request);
        const state = core.state();
        if (onlyReady && state !== 'READY') return this.#json(response, 200, []);
        const entry = { name: core.name, version: MODEL_VERSION, state, ...(state === 'READY' ? {} : { reason: core.notReadyReason }) };
        return this.#json(response, 200, [entry]);
      }
      case 'all-stats':
        return this.#json(response, 200, tritonStatistics(core.name, MODEL_VERSION, core.status()));
      case 'model-stats':
        core.assertServes(route.model);
        return this.#json(response, 200, tritonStatistics(core.name, MODEL_VERSION, core.status()));
      case 'model-metadata':
        return this.#json(response, 200, metadataJson(core.metadata(route.model)));
      case 'model-ready':
        core.assertServes(route.model);
        if (!core.ready) throw new ServeError('unavailable', `model '${core.name}' is not ready: ${core.notReadyReason}`);
        return this.#json(response, 200, { name: core.name, ready: true });
      case 'infer':
        return this.#infer(route.model, request, response);
    }
  }

  async #infer(target: { name: string; version: string | null }, request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Unknown models are refused before the body is read.
    this.#core.assertServes(target);
    const limit = this.#options.maxRequestBytes;
    const read = await readBody(request, limit, binaryStart(request), this.#bodies);
    if (read.kind === 'too-large') {
      throw new ServeError('too-large', `the request body (${read.bytes} bytes) is over this server's limit of ${limit} bytes (--max-request-mb)`);
    }
    let encoded: EncodedBody;
    try {
      encoded = await this.#core.infer(
        target,
        this.#core.nowNs(),
        () => decodeInferRequest(read.body, parseJsonLengthHeader(request.headers[BINARY_HEADER])),
        (inferResponse, inferRequest) => encodeInferResponse(inferResponse, inferRequest.binaryOutputs),
      );
    } finally {
      // Settled: the batch that read the request's tensors has run (or never will), and the
      // response holds only outputs, so the body's buffer can take the next request.
      if (read.pooled !== null) this.#bodies.give(read.pooled);
    }
    response.writeHead(200, { ...encoded.headers, 'content-length': encoded.body.byteLength, ...this.#closeWhenDraining() });
    response.end(encoded.body);
  }

  /** The repository index's optional body: {"ready": true} lists only ready models. */
  async #readyFlag(request: IncomingMessage): Promise<boolean> {
    const read = await readBody(request, SMALL_BODY_BYTES);
    if (read.kind === 'too-large') throw new ServeError('too-large', `a repository index request body of ${read.bytes} bytes is too large`);
    const text = read.body.toString('utf8').trim();
    if (text === '') return false;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ServeError('invalid', `repository index: malformed JSON (${(error as Error).message})`);
    }
    return typeof json === 'object' && json !== null && (json as Record<string, unknown>)['ready'] === true;
  }

  #json(response: ServerResponse, status: number, value: unknown): void {
    const body = Buffer.from(JSON.stringify(value));
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': body.byteLength, ...this.#closeWhenDraining() });
    response.end(body);
  }

  #sendError(response: ServerResponse, error: unknown): void {
    if (response.headersSent || response.destroyed) {
      response.destroy();
      return;
    }
    const serveError = asServeError(error);
    if (serveError.kind === 'queue-full') response.setHeader('retry-after', '1');
    this.#json(response, HTTP_STATUS[serveError.kind], { error: serveError.message });
  }

  /** While draining, every response closes its connection, so clients stop sending here. */
  #closeWhenDraining(): Record<string, string> {
    return this.#core.draining ? { connection: 'close' } : {};
  }
}

function metadataJson(m: ModelMetadata): unknown {
  const tensor = (t: ModelMetadata['inputs'][number]) => ({ name: t.name, datatype: t.datatype, shape: [...t.shape] });
  return { name: m.name, versions: [...m.versions], platform: m.platform, inputs: m.inputs.map(tensor), outputs: m.outputs.map(tensor) };
}

/** Where the binary tensors begin, for the body's alignment only: a bad header is the decoder's to report. */
function binaryStart(request: IncomingMessage): number {
  const value = Number(request.headers[BINARY_HEADER]);
  return Number.isInteger(value) && value > 0 ? value : 0;
}
