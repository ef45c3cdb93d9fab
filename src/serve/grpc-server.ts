import * as grpc from '@grpc/grpc-js';
import { fromGrpcRequest, toGrpcResponse } from '../kserve/grpc-codec.js';
import { type GrpcInferRequest, inferenceService } from '../kserve/grpc-service.js';
import type { TensorMetadata } from '../kserve/types.js';
import { type InferenceCore, MODEL_VERSION } from './inference-core.js';
import { asServeError, GRPC_CODE } from './serve-error.js';
import { hostPort } from './serve-lines.js';
import { SERVER_EXTENSIONS, SERVER_NAME } from './server-identity.js';

export interface GrpcFrontendOptions {
  readonly maxRequestBytes: number;
  readonly serverVersion: string;
}

/** How long graceful shutdown waits for calls in progress before cutting them off. */
const SHUTDOWN_GRACE_MS = 10_000;

interface NameVersion {
  readonly name: string;
  readonly version: string;
}

/** inference.GRPCInferenceService over @grpc/grpc-js, in front of the core. */
export class GrpcFrontend {
  readonly #server: grpc.Server;
  readonly #core: InferenceCore;
  readonly #options: GrpcFrontendOptions;

  constructor(core: InferenceCore, options: GrpcFrontendOptions) {
    this.#core = core;
    this.#options = options;
    // Messages over the limit are refused by grpc-js itself with RESOURCE_EXHAUSTED.
    this.#server = new grpc.Server({ 'grpc.max_receive_message_length': options.maxRequestBytes, 'grpc.max_send_message_length': -1 });
    this.#server.addService(inferenceService().service, this.#handlers());
  }

  /** Resolves with the bound port; rejects with grpc-js's bind error. */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.bindAsync(hostPort(host, port), grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound)));
    });
  }

  /** Refuses new calls, lets calls in progress finish (cut off after a grace period), closes. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#server.forceShutdown();
        resolve();
      }, SHUTDOWN_GRACE_MS);
      this.#server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #handlers(): grpc.UntypedServiceImplementation {
    const core = this.#core;
    const version = this.#options.serverVersion;
    return {
      ServerLive: unary(() => ({ live: true })),
      ServerReady: unary(() => ({ ready: core.ready })),
      ModelReady: unary((request: NameVersion) => {
        core.assertServes(request);
        return { ready: core.ready };
      }),
      ServerMetadata: unary(() => ({ name: SERVER_NAME, version, extensions: [...SERVER_EXTENSIONS] })),
      ModelMetadata: unary((request: NameVersion) => {
        const m = core.metadata(request);
        return { name: m.name, versions: [...m.versions], platform: m.platform, inputs: m.inputs.map(tensorMessage), outputs: m.outputs.map(tensorMessage) };
      }),
      ModelInfer: unary((request: GrpcInferRequest) =>
        core.infer(
          { name: request.model_name, version: request.model_version },
          core.nowNs(),
          () => fromGrpcRequest(request),
          (response) => toGrpcResponse(response),
        ),
      ),
      RepositoryIndex: unary((request: { ready: boolean }) => {
        const state = core.state();
        if (request.ready && state !== 'READY') return { models: [] };
        return { models: [{ name: core.name, version: MODEL_VERSION, state, reason: state === 'READY' ? '' : core.notReadyReason }] };
      }),
    };
  }
}

/** A unary handler from a function; its errors become the status code of their kind. */
function unary<Req, Res>(handle: (request: Req) => Res | Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handle(call.request))
      .then(
        (response) => callback(null, response),
        (error: unknown) => {
          const serveError = asServeError(error);
          callback({ code: GRPC_CODE[serveError.kind], details: serveError.message });
        },
      );
  };
}

function tensorMessage(t: TensorMetadata): { name: string; datatype: string; shape: number[] } {
  return { name: t.name, datatype: t.datatype, shape: [...t.shape] };
}
