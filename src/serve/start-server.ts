import { RealClock } from '../loadgen/real-clock.js';
import type { Clock } from '../loadgen/types.js';
import { bindError } from './bind-error.js';
import { GrpcFrontend } from './grpc-server.js';
import { HttpFrontend } from './http-server.js';
import { InferenceCore, type ServerStatus } from './inference-core.js';
import { type Endpoint, formatReadyLine } from './serve-lines.js';
import { serverVersion } from './server-identity.js';
import type { BatchPolicy, ServedModel } from './types.js';

export interface ServerOptions {
  /** The model's name in the API. */
  readonly name: string;
  /** Loads the model; called once, after both transports listen. */
  readonly load: () => Promise<ServedModel>;
  readonly host: string;
  /** null: this transport is off; 0: any free port. */
  readonly httpPort: number | null;
  readonly grpcPort: number | null;
  /** What was asked for; a model without a batch dimension runs one row at a time whatever this says. */
  readonly batching: BatchPolicy;
  /** Requests waiting at most; 0 = no limit. */
  readonly maxQueue: number;
  readonly maxRequestBytes: number;
  /** Warmup executions before the server says it is ready. */
  readonly warmupCount: number;
  /** Default: the real clock, sleeping (not spinning) until the batch window ends. */
  readonly clock?: Clock;
  /** Progress lines (default: stderr). */
  readonly log?: (line: string) => void;
  /** Tests: readiness also waits for this, after the warmup. */
  readonly holdReadyUntil?: Promise<void>;
}

export interface RunningServer {
  readonly name: string;
  readonly http: Endpoint | null;
  readonly grpc: Endpoint | null;
  /** Resolves once the model is loaded and warmed up; rejects when loading fails. */
  readonly ready: Promise<void>;
  /** The line the CLI prints on stdout when ready. */
  readonly readyLine: string;
  status(): ServerStatus;
  /**
   * Graceful: refuses new requests (503 / UNAVAILABLE), finishes those queued and executing,
   * closes both transports and disposes of the model. Resolves with the final status.
   */
  close(): Promise<ServerStatus>;
}

/** Spin only the last 0.2 ms before a batch window ends: precise enough, and an idle server stays idle. */
const SERVER_SPIN_WINDOW_NS = 200_000;

/**
 * Starts `mlbench serve`: both transports listen first (live at once), then the model loads
 * and warms up, and only then is the server ready. Listen failures throw a UserError.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  if (options.httpPort === null && options.grpcPort === null) throw new Error('startServer: both transports are off');
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clock = options.clock ?? new RealClock({ spinWindowNs: SERVER_SPIN_WINDOW_NS });
  const core = new InferenceCore(options.name, clock, options.maxQueue);
  const frontendOptions = { maxRequestBytes: options.maxRequestBytes, serverVersion: serverVersion() };
  const httpFrontend = options.httpPort === null ? null : new HttpFrontend(core, frontendOptions);
  const grpcFrontend = options.grpcPort === null ? null : new GrpcFrontend(core, frontendOptions);
  const { host } = options;
  let http: Endpoint | null = null;
  let grpc: Endpoint | null = null;
  try {
    if (httpFrontend !== null) {
      const port = options.httpPort!;
      http = { host, port: await httpFrontend.listen(host, port).catch((e: unknown) => Promise.reject(bindError('--http-port', host, port, e))) };
    }
    if (grpcFrontend !== null) {
      const port = options.grpcPort!;
      grpc = { host, port: await grpcFrontend.listen(host, port).catch((e: unknown) => Promise.reject(bindError('--grpc-port', host, port, e))) };
    }
  } catch (error) {
    await Promise.all([httpFrontend?.close(), grpcFrontend?.close()]);
    throw error;
  }

  const loaded = loadAndWarm(options, core, log);
  const ready = loaded.then(async () => {
    await options.holdReadyUntil;
    core.markReady();
  });
  // Callers that never await these must not see an unhandled rejection; those that do still get it.
  loaded.catch(() => {});
  ready.catch(() => {});

  let closing: Promise<ServerStatus> | null = null;
  const close = (): Promise<ServerStatus> => {
    closing ??= (async () => {
      await Promise.all([core.drain(), httpFrontend?.close(), grpcFrontend?.close()]);
      const status = core.status();
      await loaded.catch(() => {});
      await core.model?.dispose();
      return status;
    })();
    return closing;
  };

  return { name: options.name, http, grpc, ready, readyLine: formatReadyLine(options.name, http, grpc), status: () => core.status(), close };
}

async function loadAndWarm(options: ServerOptions, core: InferenceCore, log: (line: string) => void): Promise<void> {
  try {
    const model = await options.load();
    const policy = effectivePolicy(model, options.batching, log);
    core.attach(model, policy);
    const startedMs = Date.now();
    await model.warmup(options.warmupCount, policy.maxBatchRows);
    const each = (model.instances ?? 1) > 1 ? ` on each of its ${model.instances} instances` : '';
    if (options.warmupCount > 0) log(`mlbench serve: warmed up: ${options.warmupCount} runs${each} in ${Date.now() - startedMs} ms`);
  } catch (error) {
    core.markFailed(error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/** The policy the model allows: without a batch dimension every request runs alone. */
function effectivePolicy(model: ServedModel, asked: BatchPolicy, log: (line: string) => void): BatchPolicy {
  const m = model.metadata;
  const shape = (t: (typeof m.inputs)[number]) => `${t.name} ${t.datatype} [${t.shape.join(', ')}]`;
  const instances = (model.instances ?? 1) > 1 ? ` (${model.instances} instances, each on a worker thread)` : '';
  log(`mlbench serve: model ${m.name} loaded${instances}: inputs ${m.inputs.map(shape).join('; ')}; outputs ${m.outputs.map(shape).join('; ')}`);
  if (!model.dynamicBatch) {
    if (asked.maxBatchRows > 1) log(`mlbench serve: model ${m.name} has no dynamic batch dimension: --max-batch ${asked.maxBatchRows} forced to 1`);
    return { maxBatchRows: 1, preferredBatchRows: [], windowNs: 0 };
  }
  const preferred = asked.preferredBatchRows.length > 0 ? `, preferred ${asked.preferredBatchRows.join(', ')}` : '';
  log(`mlbench serve: batching: up to ${asked.maxBatchRows} rows${preferred}, window ${asked.windowNs / 1e6} ms`);
  return asked;
}
