import { bindError } from '../../serve/bind-error.js';
import { createEngine, type EngineOptions } from '../engine/create-engine.js';
import type { EngineStats, GenerationEngine } from '../engine/types.js';
import { type EngineWork, engineWork } from './engine-work.js';
import { LlmHttpFrontend } from './llm-http-server.js';
import { formatLlmReadyLine, openAiBaseUrl } from './llm-serve-lines.js';
import type { LlmServerCounters } from './llm-server-counters.js';

/**
 * Which engine to serve: one already made, a loader, or createEngine's options. Loading starts
 * after the port listens, so /health answers 503 meanwhile.
 */
export type LlmEngineSource = { readonly engine: GenerationEngine | (() => Promise<GenerationEngine>) } | { readonly engineOptions: EngineOptions };

export type LlmServerOptions = LlmServerSettings & LlmEngineSource;

export interface LlmServerSettings {
  /** The model's name in the API (requests must send it as `model`). */
  readonly name: string;
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  /** Sequences waiting in the engine at most; more are refused (503 + Retry-After). 0 = no limit. */
  readonly maxQueue: number;
  /** Default 1 MiB. */
  readonly maxRequestBytes?: number;
  /** How long close() lets streams in progress finish before cutting them (default 30 s). */
  readonly drainTimeoutMs?: number;
  /** Progress lines (default: stderr). */
  readonly log?: (line: string) => void;
}

export interface LlmServerSummary {
  readonly counters: LlmServerCounters;
  /** Engine work since the server became ready (the warm-up excluded); null if it never loaded. */
  readonly engine: EngineWork | null;
}

export interface RunningLlmServer {
  /** The OpenAI base URL, http://host:port/v1. */
  readonly url: string;
  readonly port: number;
  /** Resolves once the engine is loaded and warmed up; rejects when that fails. */
  readonly ready: Promise<void>;
  /** The line the CLI prints on stdout when ready. */
  readonly readyLine: string;
  /** Graceful: refuses new requests, lets running streams finish (bounded), closes the engine. */
  close(): Promise<LlmServerSummary>;
}

const DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;
/** The warm-up generation: one vocabulary word in, a few tokens out. */
const WARMUP_PROMPT = 'the';
const WARMUP_TOKENS = 4;

/** Starts `mlbench serve --llm`: listens first, then loads and warms the engine up. Listen failures throw a UserError. */
export async function startLlmServer(options: LlmServerOptions): Promise<RunningLlmServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const frontend = new LlmHttpFrontend({ name: options.name, maxQueue: options.maxQueue, maxRequestBytes: options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES });
  const { host } = options;
  const port = await frontend.listen(host, options.port).catch((error: unknown) => Promise.reject(bindError('--http-port', host, options.port, error)));
  const url = openAiBaseUrl(host, port);

  const loading = loadAndWarm(options, log);
  const ready = loading.then(({ engine }) => frontend.markReady(engine));
  loading.catch((error: unknown) => frontend.markFailed(error instanceof Error ? error.message : String(error)));
  ready.catch(() => {});

  let closing: Promise<LlmServerSummary> | null = null;
  const close = (): Promise<LlmServerSummary> => {
    closing ??= (async () => {
      await frontend.close(options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS);
      const loaded = await loading.catch(() => null);
      if (loaded === null) return { counters: frontend.counters(), engine: null };
      const work = engineWork(loaded.afterWarmup, loaded.engine.stats());
      await loaded.engine.close();
      return { counters: frontend.counters(), engine: work };
    })();
    return closing;
  };
  return { url, port, ready, readyLine: formatLlmReadyLine(options.name, url), close };
}

async function loadAndWarm(options: LlmServerOptions, log: (line: string) => void): Promise<{ engine: GenerationEngine; afterWarmup: EngineStats }> {
  const engine = await openEngine(options);
  log(`mlbench serve: model ${engine.modelName} loaded: context ${engine.maxContext} tokens, ${engine.scheduler} batching of up to ${engine.maxBatch} sequences`);
  const startedMs = Date.now();
  try {
    await generateOnce(engine, engine.tokenizer.encode(WARMUP_PROMPT), WARMUP_TOKENS);
  } catch (error) {
    await engine.close();
    throw error;
  }
  log(`mlbench serve: warmed up: one generation of ${WARMUP_TOKENS} tokens in ${Date.now() - startedMs} ms`);
  return { engine, afterWarmup: engine.stats() };
}

function openEngine(source: LlmEngineSource): Promise<GenerationEngine> {
  if ('engineOptions' in source) return createEngine(source.engineOptions);
  return typeof source.engine === 'function' ? source.engine() : Promise.resolve(source.engine);
}

function generateOnce(engine: GenerationEngine, promptTokens: Int32Array, maxTokens: number): Promise<void> {
  return new Promise((resolve, reject) => {
    engine.submit({ promptTokens, maxTokens, stopAtEos: false, onToken: () => {}, onFinish: () => resolve(), onError: reject });
  });
}
