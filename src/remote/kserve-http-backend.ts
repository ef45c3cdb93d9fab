import type { Pool } from 'undici';
import { BufferPool } from '../backends/buffer-pool.js';
import type { BatchOutputs, InputSpec, SampleFeeds } from '../backends/types.js';
import { samplesToRows, samplesToWire } from '../kserve/batch.js';
import { decodeInferResponse, encodeBinaryRequest, encodeInferRequest, parseJsonLengthHeader, type RequestEncoding } from '../kserve/http-codec.js';
import { BINARY_HEADER } from '../kserve/types.js';
import type { BackendDescription } from '../results/types.js';
import { type HttpEndpoint, parseHttpUrl } from './endpoint.js';
import { exchange } from './http-exchange.js';
import { httpFailure, httpStatusError } from './http-failure.js';
import { keepAlivePool } from './http-pool.js';
import { inspectHttpServer } from './http-setup.js';
import type { RemoteModel } from './model-metadata.js';
import { packageVersion } from './package-version.js';
import { RemoteRecorder } from './remote-recorder.js';
import { SingleSampleRequests } from './request-cache.js';
import { toBatchOutputs } from './response-outputs.js';
import { buildFailure, sendWithRetries } from './retry.js';
import type { RemoteBackend, RemoteOptions, RemoteStats } from './types.js';

interface EncodedRequest {
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The KServe v2 REST API through an undici keep-alive pool: one POST per batch, JSON tensors or
 * Triton's binary tensor data extension. HTTP/1.1 without pipelining, so at most `connections`
 * requests are on the wire at once; the harness caps outstanding requests to match.
 */
export class KserveHttpBackend implements RemoteBackend {
  readonly protocol = 'kserve-http';
  readonly description: BackendDescription;
  readonly inputs: readonly InputSpec[];
  readonly dynamicBatch: boolean;
  readonly modelName: string;
  readonly #pool: Pool;
  readonly #origin: string;
  readonly #inferPath: string;
  readonly #encoding: RequestEncoding;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #outputs: readonly string[];
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #recorder: RemoteRecorder;
  readonly #requests = new SingleSampleRequests<EncodedRequest>((r) => r.body.byteLength);
  readonly #bodies = new BufferPool();

  private constructor(options: RemoteOptions, endpoint: HttpEndpoint, pool: Pool, model: RemoteModel, server: string | null) {
    this.#pool = pool;
    this.modelName = model.name;
    this.inputs = model.inputs;
    this.dynamicBatch = model.dynamicBatch;
    this.#outputs = model.outputs;
    const version = options.modelVersion === '' ? '' : `/versions/${encodeURIComponent(options.modelVersion)}`;
    this.#origin = endpoint.origin;
    this.#inferPath = `${endpoint.basePath}/v2/models/${encodeURIComponent(model.name)}${version}/infer`;
    this.#encoding = { binaryInputs: options.binary, binaryOutputs: options.binary };
    this.#headers = options.headers;
    this.#timeoutMs = options.requestTimeoutMs;
    this.#retries = options.retries;
    this.#recorder = new RemoteRecorder('kserve-http', endpoint.display, model.name);
    this.description = {
      name: 'kserve-http',
      versions: { ...(server === null ? {} : { server }), undici: packageVersion('undici') },
      settings: {
        url: endpoint.display,
        model: model.name,
        modelVersion: options.modelVersion,
        binary: options.binary,
        connections: options.connections,
        requestTimeoutMs: options.requestTimeoutMs,
        retries: options.retries,
        authHeaders: Object.keys(options.headers),
      },
      coldStartNs: null,
    };
  }

  /** Connects and checks the server: every problem found here is a UserError, before any run. */
  static async create(options: RemoteOptions): Promise<KserveHttpBackend> {
    const endpoint = parseHttpUrl(options.url);
    const pool = keepAlivePool(endpoint.origin, options.connections);
    try {
      const facts = await inspectHttpServer(pool, endpoint, options.headers, {
        model: options.model,
        version: options.modelVersion,
        timeoutMs: options.requestTimeoutMs,
      });
      return new KserveHttpBackend(options, endpoint, pool, facts.model, facts.server);
    } catch (error) {
      await pool.destroy().catch(() => undefined);
      throw error;
    }
  }

  async infer(samples: readonly SampleFeeds[]): Promise<BatchOutputs> {
    const startedAt = process.hrtime.bigint();
    // A batch in the binary form goes in a reused body; a single sample's request is cached.
    const pooled = samples.length > 1 && this.#encoding.binaryInputs;
    let request: EncodedRequest;
    try {
      request = pooled ? this.#encodePooled(samples) : this.#requests.get(samples, () => this.#encode(samples));
    } catch (error) {
      throw buildFailure(this.#recorder, error);
    }
    const serializeNs = Number(process.hrtime.bigint() - startedAt);
    const batchSize = this.dynamicBatch ? samples.length : null;
    const outputs = await sendWithRetries(this.#recorder, this.#retries, this.#headers, httpFailure, (epoch) => this.#send(request, serializeNs, batchSize, epoch));
    // Answered, so written: the body is free. A failed exchange's body is left to the collector.
    if (pooled) this.#bodies.give(request.body);
    return outputs;
  }

  #encode(samples: readonly SampleFeeds[]): EncodedRequest {
    const encoded = encodeInferRequest(samplesToWire(samples, this.inputs, this.dynamicBatch), this.#encoding);
    return { body: encoded.body, headers: { ...this.#headers, ...encoded.headers } };
  }

  #encodePooled(samples: readonly SampleFeeds[]): EncodedRequest {
    const encoded = encodeBinaryRequest(samplesToRows(samples, this.inputs, this.dynamicBatch), this.#encoding, (bytes) => this.#bodies.take(bytes));
    return { body: encoded.body, headers: { ...this.#headers, ...encoded.headers } };
  }

  /** One try; what it throws, the caller classifies (httpFailure). */
  async #send({ body, headers }: EncodedRequest, serializeNs: number, batchSize: number | null, epoch: number): Promise<BatchOutputs> {
    const sentAt = process.hrtime.bigint();
    const answer = await exchange(this.#pool, { origin: this.#origin, path: this.#inferPath, method: 'POST', headers, body }, this.#timeoutMs);
    const receivedAt = process.hrtime.bigint();
    if (answer.status !== 200) throw httpStatusError(answer.status, answer.body, answer.headers['retry-after']);
    const decoded = decodeInferResponse(answer.body, parseJsonLengthHeader(answer.headers[BINARY_HEADER]));
    const outputs = toBatchOutputs(decoded, this.#outputs, batchSize);
    const deserializeNs = Number(process.hrtime.bigint() - receivedAt);
    this.#recorder.succeeded(epoch, serializeNs, Number(receivedAt - sentAt), deserializeNs, decoded.parameters);
    return outputs;
  }

  stats(): RemoteStats {
    return this.#recorder.stats();
  }

  resetStats(): void {
    this.#recorder.reset();
  }

  /** Abandons requests still in flight (they reject as connection errors): the run is over. */
  async dispose(): Promise<void> {
    await this.#pool.destroy();
  }
}

