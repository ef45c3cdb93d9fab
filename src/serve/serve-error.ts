import { status as GrpcStatus } from '@grpc/grpc-js';
import { ProtocolError } from '../kserve/protocol-error.js';

/** Why the server did not answer a request, each kind with its HTTP status and gRPC code. */
export const SERVE_ERROR_KINDS = ['invalid', 'not-found', 'method', 'too-large', 'unavailable', 'queue-full', 'internal'] as const;
export type ServeErrorKind = (typeof SERVE_ERROR_KINDS)[number];

export const HTTP_STATUS = {
  invalid: 400,
  'not-found': 404,
  method: 405,
  'too-large': 413,
  unavailable: 503,
  // 503 with Retry-After: the client may come back; 429 would blame the client for the server's queue.
  'queue-full': 503,
  internal: 500,
} as const satisfies Record<ServeErrorKind, number>;

export const GRPC_CODE = {
  invalid: GrpcStatus.INVALID_ARGUMENT,
  'not-found': GrpcStatus.NOT_FOUND,
  method: GrpcStatus.UNIMPLEMENTED,
  'too-large': GrpcStatus.RESOURCE_EXHAUSTED,
  unavailable: GrpcStatus.UNAVAILABLE,
  'queue-full': GrpcStatus.RESOURCE_EXHAUSTED,
  internal: GrpcStatus.INTERNAL,
} as const satisfies Record<ServeErrorKind, GrpcStatus>;

/** A request the server answers with an error; the message names what was wrong. */
export class ServeError extends Error {
  readonly kind: ServeErrorKind;
  constructor(kind: ServeErrorKind, message: string) {
    super(message);
    this.name = 'ServeError';
    this.kind = kind;
  }
}

/** Any failure while handling a request, as the error the client gets. */
export function asServeError(error: unknown): ServeError {
  if (error instanceof ServeError) return error;
  if (error instanceof ProtocolError) return new ServeError(error.status === 404 ? 'not-found' : error.status === 413 ? 'too-large' : 'invalid', error.message);
  return new ServeError('internal', error instanceof Error ? error.message : String(error));
}
