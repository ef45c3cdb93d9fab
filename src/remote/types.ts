import type { InferenceBackend } from '../backends/types.js';
import type { LatencyStats } from '../results/types.js';

export const REMOTE_BACKENDS = ['kserve-http', 'kserve-grpc'] as const;
export type RemoteBackendName = (typeof REMOTE_BACKENDS)[number];

/**
 * Why a request failed, counted per kind in the result:
 * - refused: the server shed load (HTTP 503 / gRPC RESOURCE_EXHAUSTED) — admission control;
 * - server-error: any other 5xx / gRPC INTERNAL, UNKNOWN...;
 * - client-error: 4xx / INVALID_ARGUMENT, NOT_FOUND (the request was wrong for this server);
 * - connection: reset, refused, closed mid-request (gRPC UNAVAILABLE);
 * - timeout: no answer within the per-request timeout;
 * - malformed: an answer that breaks the protocol (bad JSON, wrong sizes, missing outputs).
 */
export const REMOTE_ERROR_KINDS = ['refused', 'server-error', 'client-error', 'connection', 'timeout', 'malformed'] as const;
export type RemoteErrorKind = (typeof REMOTE_ERROR_KINDS)[number];

/** A failed request; `message` never contains credentials. */
export class RemoteError extends Error {
  readonly kind: RemoteErrorKind;
  constructor(kind: RemoteErrorKind, message: string) {
    super(`${kind}: ${message}`);
    this.name = 'RemoteError';
    this.kind = kind;
  }
}

export interface RemoteOptions {
  /** http://host:port for kserve-http; host:port (or grpc://host:port) for kserve-grpc. */
  readonly url: string;
  /** Model name; null = the server's only model (an error listing them when it has several). */
  readonly model: string | null;
  /** '' = the server's choice. */
  readonly modelVersion: string;
  /** HTTP only: tensors in the binary tensor data extension instead of JSON arrays. */
  readonly binary: boolean;
  /** HTTP only: keep-alive connections in the pool. */
  readonly connections: number;
  /** Per-request timeout (each try); 0 = none. */
  readonly requestTimeoutMs: number;
  /** Extra tries after a failure (not after a timeout of the whole query); 0 = off. */
  readonly retries: number;
  /** Headers (HTTP) or metadata (gRPC) sent with every request: credentials, never logged. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Distribution of one per-request timing component. */
export type TimingStats = LatencyStats;

/** What a remote backend measured over the measured window (see resetStats). */
export interface RemoteStats {
  readonly protocol: RemoteBackendName;
  readonly url: string;
  readonly model: string;
  /** Requests sent, retries included. */
  readonly requests: number;
  readonly retries: number;
  /** Failed tries by kind, retried ones included: requests = successful requests + the sum of these. */
  readonly errorsByKind: Readonly<Record<RemoteErrorKind, number>>;
  /** Per successful request: building the request body/message. */
  readonly serializeNs: TimingStats | null;
  /** From handing the request to the transport until the whole response arrived: network + server. */
  readonly networkAndServerNs: TimingStats | null;
  /** Decoding the response into tensors. */
  readonly deserializeNs: TimingStats | null;
  /** Server-reported queue time, when the server sends it (see SERVER_TIMING_PARAMETERS). */
  readonly serverQueueNs: TimingStats | null;
  /** Server-reported compute time, when the server sends it. */
  readonly serverComputeNs: TimingStats | null;
  /** Where the server timings came from, or why there are none. */
  readonly serverTimingSource: string;
}

/** A KServe v2 client as a backend: infer() is one request per batch. */
export interface RemoteBackend extends InferenceBackend {
  readonly protocol: RemoteBackendName;
  /** The model the server serves under this name (resolved when none was given). */
  readonly modelName: string;
  stats(): RemoteStats;
  /** Forget what was measured so far (warmup, calibration). */
  resetStats(): void;
}
