import { KserveGrpcBackend } from './kserve-grpc-backend.js';
import { KserveHttpBackend } from './kserve-http-backend.js';
import type { RemoteBackend, RemoteBackendName, RemoteOptions } from './types.js';

const FACTORIES = {
  'kserve-http': (options) => KserveHttpBackend.create(options),
  'kserve-grpc': (options) => KserveGrpcBackend.create(options),
} as const satisfies Record<RemoteBackendName, (options: RemoteOptions) => Promise<RemoteBackend>>;

/**
 * Connects to a KServe v2 server and checks it before the run: unreachable, not ready, unknown
 * model, bad URL all reject with a UserError. During the run, failed requests reject infer()
 * with a RemoteError.
 */
export function createRemoteBackend(name: RemoteBackendName, options: RemoteOptions): Promise<RemoteBackend> {
  return FACTORIES[name](options);
}
