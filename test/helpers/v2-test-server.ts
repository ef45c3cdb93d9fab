import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { fromGrpcRequest, toGrpcResponse } from '../../src/kserve/grpc-codec.js';
import type { GrpcInferRequest, GrpcInferResponse } from '../../src/kserve/grpc-service.js';
import { inferenceService } from '../../src/kserve/grpc-service.js';
import { decodeInferRequest, encodeInferResponse, parseJsonLengthHeader } from '../../src/kserve/http-codec.js';
import { ProtocolError } from '../../src/kserve/protocol-error.js';
import { BINARY_HEADER, type InferRequest, type InferResponse, type Parameters, SERVER_TIMING_PARAMETERS } from '../../src/kserve/types.js';

/**
 * A small KServe v2 server for tests, over HTTP (node:http) and optionally gRPC, on 127.0.0.1
 * with ports chosen by the OS. Every model it serves is the same fake model, whose answer is
 * known exactly (see fakeModelOutput):
 *
 *   input  'input'  FP32 [-1, 4]   (or [4] with dynamicBatch: false)
 *   output 'output' FP32 [-1, 2]   row i = [sum of input row i, max of input row i]
 *
 * Faults are set at runtime (setFaults) so a test can let a run start cleanly and then make
 * the server stall, fail, reset connections, send garbage or die (kill).
 */

export const FAKE_INPUT = 'input';
export const FAKE_OUTPUT = 'output';
export const FAKE_ROW = 4;
export const FAKE_OUT_ROW = 2;

export interface V2TestServerOptions {
  /** Model names, all serving the fake model (default ['fake']). */
  readonly models?: readonly string[];
  /** Also serve the v2 gRPC API (default false). */
  readonly grpc?: boolean;
  /** Ready at start (default true); see setReady. */
  readonly ready?: boolean;
  /** Answer Triton's repository index (HTTP POST /v2/repository/index, gRPC RepositoryIndex); default true. */
  readonly repositoryIndex?: boolean;
  /** Put mlbench_server_queue_ns / _compute_ns / _batch_size in every infer response (default false). */
  readonly serverTiming?: boolean;
  /** The input's first dimension is a variable batch (-1); false: input [4], output [2] (default true). */
  readonly dynamicBatch?: boolean;
  /** Faults from the start (see setFaults). */
  readonly faults?: V2Faults;
  /** A careless server: every HTTP error body quotes the request's headers (to test that clients redact them). */
  readonly echoHeadersInErrors?: boolean;
}

/**
 * What goes wrong, applied to infer requests only (health and metadata always answer).
 * "Every Nth" counts infer requests from the last setFaults call, 1-based: every 3 hits the
 * 3rd, 6th, ... A request hit by several faults gets the first of reset, fail, malformed.
 */
export interface V2Faults {
  /** Added before every infer response, in ms. */
  readonly delayMs?: number;
  /**
   * Hold every infer response that would go out between afterMs and afterMs + forMs (measured
   * from this setFaults call) until the stall ends: the server freezes, then catches up.
   */
  readonly stall?: { readonly afterMs: number; readonly forMs: number } | null;
  /**
   * Answer every Nth request with an error: httpStatus (default 500; 503 adds Retry-After
   * retryAfterS, default 1), grpcCode (default from httpStatus: 503 -> RESOURCE_EXHAUSTED,
   * 4xx -> INVALID_ARGUMENT, else INTERNAL), and message as the error text.
   */
  readonly fail?: {
    readonly every: number;
    readonly httpStatus?: number;
    readonly grpcCode?: grpc.status;
    readonly retryAfterS?: number;
    readonly message?: string;
  } | null;
  /** Destroy the connection instead of answering every Nth request (HTTP only). */
  readonly reset?: { readonly every: number } | null;
  /** Answer every Nth request with a body that breaks the protocol (HTTP: cut-off JSON; gRPC: raw contents of the wrong size). */
  readonly malformed?: { readonly every: number } | null;
}

export interface V2TestServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** 127.0.0.1:PORT of the gRPC API, or null when not started. */
  readonly grpcUrl: string | null;
  /** Replaces every fault (omitted = off) and restarts the every-Nth count. */
  setFaults(faults: V2Faults): void;
  /** What /v2/health/ready and ServerReady answer. */
  setReady(ready: boolean): void;
  /** Every request or call received, of any kind. */
  requests(): number;
  /** Infer requests received (over both protocols), including those answered with a fault. */
  inferRequests(): number;
  /** The headers (HTTP) or metadata (gRPC) of the last request, names lowercased. */
  lastHeaders(): Readonly<Record<string, string>>;
  /** The server dies: every open connection destroyed, listeners closed, nothing answered. */
  kill(): void;
  /** Stops the server (idempotent, also after kill). */
  close(): Promise<void>;
}

/** The fake model's answer for one batch, computed as the server does (float32 results). */
export function fakeModelOutput(input: Float32Array): Float32Array {
  const rows = input.length / FAKE_ROW;
  const out = new Float32Array(rows * FAKE_OUT_ROW);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < FAKE_ROW; c++) {
      const v = input[r * FAKE_ROW + c]!;
      sum += v;
      max = Math.max(max, v);
    }
    out[r * FAKE_OUT_ROW] = sum;
    out[r * FAKE_OUT_ROW + 1] = max;
  }
  return out;
}

export async function startV2TestServer(options: V2TestServerOptions = {}): Promise<V2TestServer> {
  const core = new FakeCore(options);
  const http = await startHttp(core);
  const grpcServer = options.grpc === true ? await startGrpc(core) : null;
  let closed = false;
  const stop = (): void => {
    if (closed) return;
    closed = true;
    core.cancelPending();
    http.server.close();
    for (const socket of http.sockets) socket.destroy();
    grpcServer?.server.forceShutdown();
  };
  return {
    url: `http://127.0.0.1:${http.port}`,
    port: http.port,
    grpcUrl: grpcServer === null ? null : `127.0.0.1:${grpcServer.port}`,
    setFaults: (faults) => core.setFaults(faults),
    setReady: (ready) => {
      core.ready = ready;
    },
    requests: () => core.requestCount,
    inferRequests: () => core.inferCount,
    lastHeaders: () => core.headers,
    kill: stop,
    close: async () => {
      stop();
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}

/** What happens to one infer request. */
type Verdict =
  | { readonly kind: 'answer'; readonly waitMs: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'fail'; readonly waitMs: number; readonly httpStatus: number; readonly grpcCode: grpc.status; readonly retryAfterS: number; readonly message: string }
  | { readonly kind: 'malformed'; readonly waitMs: number };

/** The model, the fault schedule and the counters, shared by both protocols. */
class FakeCore {
  readonly models: readonly string[];
  readonly repositoryIndex: boolean;
  readonly serverTiming: boolean;
  readonly dynamicBatch: boolean;
  readonly echoHeaders: boolean;
  ready: boolean;
  requestCount = 0;
  inferCount = 0;
  headers: Record<string, string> = {};
  #faults: V2Faults = {};
  #faultsSetAtMs = 0;
  #faultCount = 0;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(options: V2TestServerOptions) {
    this.models = options.models ?? ['fake'];
    this.repositoryIndex = options.repositoryIndex ?? true;
    this.serverTiming = options.serverTiming ?? false;
    this.dynamicBatch = options.dynamicBatch ?? true;
    this.echoHeaders = options.echoHeadersInErrors ?? false;
    this.ready = options.ready ?? true;
    this.setFaults(options.faults ?? {});
  }

  setFaults(faults: V2Faults): void {
    this.#faults = faults;
    this.#faultsSetAtMs = performance.now();
    this.#faultCount = 0;
  }

  saw(headers: Record<string, string>): void {
    this.requestCount++;
    this.headers = headers;
  }

  /** Counts an infer request and decides its fate. */
  verdict(): Verdict {
    this.inferCount++;
    const n = ++this.#faultCount;
    const f = this.#faults;
    const hit = (every: { every: number } | null | undefined): boolean => every != null && every.every > 0 && n % every.every === 0;
    if (hit(f.reset)) return { kind: 'reset' };
    const waitMs = this.#waitMs();
    if (hit(f.fail)) {
      const httpStatus = f.fail!.httpStatus ?? 500;
      return {
        kind: 'fail',
        waitMs,
        httpStatus,
        grpcCode: f.fail!.grpcCode ?? defaultGrpcCode(httpStatus),
        retryAfterS: f.fail!.retryAfterS ?? 1,
        message: f.fail!.message ?? `injected failure (request ${n})`,
      };
    }
    if (hit(f.malformed)) return { kind: 'malformed', waitMs };
    return { kind: 'answer', waitMs };
  }

  /** The delay, plus the rest of a stall the response would fall into. */
  #waitMs(): number {
    const delayMs = this.#faults.delayMs ?? 0;
    const stall = this.#faults.stall;
    if (stall == null) return delayMs;
    const sendAtMs = performance.now() + delayMs;
    const startMs = this.#faultsSetAtMs + stall.afterMs;
    const endMs = startMs + stall.forMs;
    return sendAtMs >= startMs && sendAtMs < endMs ? endMs - performance.now() : delayMs;
  }

  /** Runs `fn` after `ms` (at once when 0), unless the server dies first. */
  later(ms: number, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  cancelPending(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Checks the request against the fake model and computes the answer. */
  infer(model: string, request: InferRequest, waitMs: number): InferResponse {
    const input = request.inputs.find((t) => t.name === FAKE_INPUT);
    if (input === undefined) throw new ProtocolError(`model '${model}' has an input '${FAKE_INPUT}', the request sent none`);
    const batched = this.dynamicBatch;
    const shapeOk = batched ? input.shape.length === 2 && input.shape[1] === FAKE_ROW : input.shape.length === 1 && input.shape[0] === FAKE_ROW;
    if (input.datatype !== 'FP32' || !shapeOk) {
      throw new ProtocolError(`input '${FAKE_INPUT}': expected FP32 ${batched ? '[-1, 4]' : '[4]'}, got ${input.datatype} [${input.shape.join(', ')}]`);
    }
    const started = process.hrtime.bigint();
    const data = fakeModelOutput(input.data as Float32Array);
    const computeNs = Number(process.hrtime.bigint() - started);
    const rows = batched ? input.shape[0]! : 1;
    const parameters: Parameters = this.serverTiming
      ? {
          [SERVER_TIMING_PARAMETERS.queueNs]: Math.round(waitMs * 1e6),
          [SERVER_TIMING_PARAMETERS.computeNs]: computeNs,
          [SERVER_TIMING_PARAMETERS.batchSize]: rows,
        }
      : {};
    return {
      modelName: model,
      modelVersion: '1',
      id: request.id,
      outputs: [{ name: FAKE_OUTPUT, datatype: 'FP32', shape: batched ? [rows, FAKE_OUT_ROW] : [FAKE_OUT_ROW], data }],
      parameters,
    };
  }

  metadata(model: string): object {
    const dim = this.dynamicBatch ? [-1] : [];
    return {
      name: model,
      versions: ['1'],
      platform: 'mlbench_v2_test_server',
      inputs: [{ name: FAKE_INPUT, datatype: 'FP32', shape: [...dim, FAKE_ROW] }],
      outputs: [{ name: FAKE_OUTPUT, datatype: 'FP32', shape: [...dim, FAKE_OUT_ROW] }],
    };
  }
}

function defaultGrpcCode(httpStatus: number): grpc.status {
  if (httpStatus === 503 || httpStatus === 429) return grpc.status.RESOURCE_EXHAUSTED;
  if (httpStatus >= 400 && httpStatus < 500) return grpc.status.INVALID_ARGUMENT;
  return grpc.status.INTERNAL;
}

// ---- HTTP -------------------------------------------------------------------------------------

async function startHttp(core: FakeCore): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handleHttp(core, req, res, Buffer.concat(chunks)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('v2 test server: no port');
  return { server, port: address.port, sockets };
}

interface JsonReply {
  readonly status: number;
  readonly value: unknown;
  readonly headers?: Record<string, string>;
}

function handleHttp(core: FakeCore, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  core.saw(flatHeaders(req.headers));
  const send = (reply: JsonReply): void => {
    const { status, value } = reply;
    res.writeHead(status, { 'content-type': 'application/json', ...reply.headers });
    const echoed = status >= 400 && core.echoHeaders ? { error: `${(value as { error: string }).error} (you sent ${JSON.stringify(req.headers)})` } : value;
    res.end(JSON.stringify(echoed));
  };
  const route = routeHttp(core, req.method ?? 'GET', (req.url ?? '/').split('?')[0]!);
  if ('status' in route) send(route);
  else inferHttp(core, route.infer, req, res, body, send);
}

/** Every path but infer answers at once, faults or not. */
function routeHttp(core: FakeCore, method: string, path: string): JsonReply | { readonly infer: string } {
  const notReady = { status: 503, value: { error: 'not ready' } };
  if (method === 'GET' && path === '/v2') return { status: 200, value: { name: 'v2-test-server', version: '0.0.1', extensions: ['binary_tensor_data'] } };
  if (method === 'GET' && path === '/v2/health/live') return { status: 200, value: {} };
  if (method === 'GET' && path === '/v2/health/ready') return core.ready ? { status: 200, value: {} } : notReady;
  if (method === 'POST' && path === '/v2/repository/index') {
    if (!core.repositoryIndex) return { status: 404, value: { error: 'not found' } };
    return { status: 200, value: core.models.map((name) => ({ name, version: '1', state: 'READY' })) };
  }
  const match = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/.exec(path);
  const model = match === null ? null : decodeURIComponent(match[1]!);
  if (match === null || model === null || !core.models.includes(model) || (match[2] !== undefined && match[2] !== '1')) {
    return { status: 404, value: { error: `unknown model or path ${path}` } };
  }
  if (method === 'GET' && match[3] === undefined) return { status: 200, value: core.metadata(model) };
  if (method === 'GET' && match[3] === '/ready') return core.ready ? { status: 200, value: {} } : notReady;
  if (method !== 'POST' || match[3] !== '/infer') return { status: 405, value: { error: `${method} ${path} is not allowed` } };
  return { infer: model };
}

function inferHttp(core: FakeCore, model: string, req: IncomingMessage, res: ServerResponse, body: Buffer, send: (reply: JsonReply) => void): void {
  const verdict = core.verdict();
  if (verdict.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  core.later(verdict.waitMs, () => {
    if (verdict.kind === 'fail') {
      const headers: Record<string, string> = verdict.httpStatus === 503 ? { 'retry-after': String(verdict.retryAfterS) } : {};
      send({ status: verdict.httpStatus, value: { error: verdict.message }, headers });
    } else if (verdict.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"model_name": "fake", "outputs": [{"name": "out');
    } else {
      try {
        const request = decodeInferRequest(body, parseJsonLengthHeader(req.headers[BINARY_HEADER]));
        const encoded = encodeInferResponse(core.infer(model, request, verdict.waitMs), request.binaryOutputs);
        res.writeHead(200, encoded.headers);
        res.end(encoded.body);
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        send({ status: error.status, value: { error: error.message } });
      }
    }
  });
}

function flatHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

// ---- gRPC -------------------------------------------------------------------------------------

type Handler<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

async function startGrpc(core: FakeCore): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
  const seen = (call: { metadata: grpc.Metadata }): void => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(call.metadata.getMap())) headers[name] = String(value);
    core.saw(headers);
  };
  const notFound = (name: string): Partial<grpc.StatusObject> => ({ code: grpc.status.NOT_FOUND, details: `unknown model ${name}` });
  const unary = <Req, Res>(fn: (request: Req) => Res | Partial<grpc.StatusObject>): Handler<Req, Res> => (call, callback) => {
    seen(call);
    const answer = fn(call.request);
    if (typeof answer === 'object' && answer !== null && 'code' in answer) callback(answer as Partial<grpc.StatusObject>);
    else callback(null, answer as Res);
  };
  const handlers: grpc.UntypedServiceImplementation = {
    ServerLive: unary(() => ({ live: true })),
    ServerReady: unary(() => ({ ready: core.ready })),
    ModelReady: unary((r: { name: string }) => (core.models.includes(r.name) ? { ready: core.ready } : notFound(r.name))),
    ServerMetadata: unary(() => ({ name: 'v2-test-server', version: '0.0.1', extensions: [] })),
    ModelMetadata: unary((r: { name: string; version: string }) =>
      core.models.includes(r.name) && (r.version === '' || r.version === '1') ? core.metadata(r.name) : notFound(r.name),
    ),
    RepositoryIndex: unary(() =>
      core.repositoryIndex
        ? { models: core.models.map((name) => ({ name, version: '1', state: 'READY', reason: '' })) }
        : { code: grpc.status.UNIMPLEMENTED, details: 'RepositoryIndex is not implemented' },
    ),
    ModelInfer: (call: grpc.ServerUnaryCall<GrpcInferRequest, GrpcInferResponse>, callback: grpc.sendUnaryData<GrpcInferResponse>) => {
      seen(call);
      const model = call.request.model_name;
      if (!core.models.includes(model)) return callback(notFound(model));
      const verdict = core.verdict();
      // Resetting a single HTTP/2 stream is not a connection reset: gRPC has no reset fault.
      const waitMs = verdict.kind === 'reset' ? 0 : verdict.waitMs;
      core.later(waitMs, () => {
        if (verdict.kind === 'fail') return callback({ code: verdict.grpcCode, details: verdict.message });
        try {
          const response = toGrpcResponse(core.infer(model, fromGrpcRequest(call.request), waitMs));
          if (verdict.kind === 'malformed') response.raw_output_contents = [Buffer.alloc(3)];
          callback(null, response);
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw error;
          callback({ code: grpc.status.INVALID_ARGUMENT, details: error.message });
        }
      });
    },
  };
  server.addService(inferenceService().service, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { server, port };
}
