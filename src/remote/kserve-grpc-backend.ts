import type * as grpc from '@grpc/grpc-js';
import type { BatchOutputs, InputSpec, SampleFeeds } from '../backends/types.js';
import { samplesToWire } from '../kserve/batch.js';
import { fromGrpcResponse, toGrpcRequest } from '../kserve/grpc-codec.js';
import type { GrpcInferRequest, GrpcInferResponse } from '../kserve/grpc-service.js';
import type { BackendDescription } from '../results/types.js';
import { parseGrpcUrl } from './endpoint.js';
import { type InferenceClient, inferenceClient, metadataOf } from './grpc-client.js';
import { grpcFailure } from './grpc-failure.js';
import { inspectGrpcServer } from './grpc-setup.js';
import type { RemoteModel } from './model-metadata.js';
import { packageVersion } from './package-version.js';
import { RemoteRecorder } from './remote-recorder.js';
import { SingleSampleRequests } from './request-cache.js';
import { toBatchOutputs } from './response-outputs.js';
import { buildFailure, sendWithRetries } from './retry.js';
import type { RemoteBackend, RemoteOptions, RemoteStats } from './types.js';

const NO_DEADLINE: grpc.CallOptions = {};

/**
 * The KServe v2 gRPC API (inference.GRPCInferenceService) over one grpc-js channel, which
 * multiplexes every outstanding request over HTTP/2. Tensors travel as raw_input_contents, as
 * Triton's own clients send them. Protobuf encoding and decoding happen inside grpc-js, so they
 * count as network + server; serialize/deserialize here are the tensor <-> message steps.
 */
export class KserveGrpcBackend implements RemoteBackend {
  readonly protocol = 'kserve-grpc';
  readonly description: BackendDescription;
  readonly inputs: readonly InputSpec[];
  readonly dynamicBatch: boolean;
  readonly modelName: string;
  readonly #client: InferenceClient;
  readonly #metadata: grpc.Metadata;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #version: string;
  readonly #outputs: readonly string[];
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #recorder: RemoteRecorder;
  readonly #requests = new SingleSampleRequests<GrpcInferRequest>((r) => r.raw_input_contents.reduce((n, b) => n + b.byteLength, 0));
  /** Calls awaiting an answer, cancelled by dispose(): closing the channel alone lets them wait on. */
  readonly #inFlight = new Set<grpc.ClientUnaryCall>();

  private constructor(options: RemoteOptions, display: string, client: InferenceClient, metadata: grpc.Metadata, model: RemoteModel, server: string | null) {
    this.#client = client;
    this.#metadata = metadata;
    this.#headers = options.headers;
    this.modelName = model.name;
    this.inputs = model.inputs;
    this.dynamicBatch = model.dynamicBatch;
    this.#outputs = model.outputs;
    this.#version = options.modelVersion;
    this.#timeoutMs = options.requestTimeoutMs;
    this.#retries = options.retries;
    this.#recorder = new RemoteRecorder('kserve-grpc', display, model.name);
    this.description = {
      name: 'kserve-grpc',
      versions: { ...(server === null ? {} : { server }), '@grpc/grpc-js': packageVersion('@grpc/grpc-js') },
      settings: {
        url: display,
        model: model.name,
        modelVersion: options.modelVersion,
        requestTimeoutMs: options.requestTimeoutMs,
        retries: options.retries,
        authHeaders: Object.keys(options.headers),
      },
      coldStartNs: null,
    };
  }

  /** Connects and checks the server: every problem found here is a UserError, before any run. */
  static async create(options: RemoteOptions): Promise<KserveGrpcBackend> {
    const endpoint = parseGrpcUrl(options.url);
    const client = inferenceClient(endpoint.address);
    const metadata = metadataOf(options.headers);
    try {
      const facts = await inspectGrpcServer(client, endpoint, metadata, options.headers, {
        model: options.model,
        version: options.modelVersion,
        timeoutMs: options.requestTimeoutMs,
      });
      return new KserveGrpcBackend(options, endpoint.display, client, metadata, facts.model, facts.server);
    } catch (error) {
      client.close();
      throw error;
    }
  }

  async infer(samples: readonly SampleFeeds[]): Promise<BatchOutputs> {
    const startedAt = process.hrtime.bigint();
    let request: GrpcInferRequest;
    try {
      request = this.#requests.get(samples, () => toGrpcRequest(this.modelName, this.#version, samplesToWire(samples, this.inputs, this.dynamicBatch)));
    } catch (error) {
      throw buildFailure(this.#recorder, error);
    }
    const serializeNs = Number(process.hrtime.bigint() - startedAt);
    const batchSize = this.dynamicBatch ? samples.length : null;
    return sendWithRetries(this.#recorder, this.#retries, this.#headers, grpcFailure, (epoch) => this.#send(request, serializeNs, batchSize, epoch));
  }

  /** One try; what it throws (a ServiceError, a ProtocolError), the caller classifies (grpcFailure). */
  async #send(request: GrpcInferRequest, serializeNs: number, batchSize: number | null, epoch: number): Promise<BatchOutputs> {
    const options = this.#timeoutMs > 0 ? { deadline: Date.now() + this.#timeoutMs } : NO_DEADLINE;
    const sentAt = process.hrtime.bigint();
    const response = await new Promise<GrpcInferResponse>((resolve, reject) => {
      // grpc-js adds its own entries to the metadata it is given: each call gets a copy.
      const call = this.#client.ModelInfer(request, this.#metadata.clone(), options, (error, answer) => {
        this.#inFlight.delete(call);
        if (error !== null) reject(error);
        else resolve(answer!);
      });
      this.#inFlight.add(call);
    });
    const receivedAt = process.hrtime.bigint();
    const decoded = fromGrpcResponse(response);
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

  /** Cancels requests still in flight (they reject as connection errors): the run is over. */
  async dispose(): Promise<void> {
    for (const call of this.#inFlight) call.cancel();
    this.#inFlight.clear();
    this.#client.close();
  }
}
