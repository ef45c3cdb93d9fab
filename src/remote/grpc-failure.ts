import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { ProtocolError } from '../kserve/protocol-error.js';
import { describeError } from './transport-error.js';
import { RemoteError, type RemoteErrorKind } from './types.js';

/**
 * Every gRPC status as a failure kind. RESOURCE_EXHAUSTED is admission control (what Triton
 * and `mlbench serve` answer when their queue is full); UNAVAILABLE is the connection (refused,
 * reset, server gone); the request's own faults are client errors.
 */
const KIND_OF_STATUS = {
  [GrpcStatus.OK]: 'malformed',
  [GrpcStatus.CANCELLED]: 'connection',
  [GrpcStatus.UNKNOWN]: 'server-error',
  [GrpcStatus.INVALID_ARGUMENT]: 'client-error',
  [GrpcStatus.DEADLINE_EXCEEDED]: 'timeout',
  [GrpcStatus.NOT_FOUND]: 'client-error',
  [GrpcStatus.ALREADY_EXISTS]: 'client-error',
  [GrpcStatus.PERMISSION_DENIED]: 'client-error',
  [GrpcStatus.RESOURCE_EXHAUSTED]: 'refused',
  [GrpcStatus.FAILED_PRECONDITION]: 'client-error',
  [GrpcStatus.ABORTED]: 'server-error',
  [GrpcStatus.OUT_OF_RANGE]: 'client-error',
  [GrpcStatus.UNIMPLEMENTED]: 'client-error',
  [GrpcStatus.INTERNAL]: 'server-error',
  [GrpcStatus.UNAVAILABLE]: 'connection',
  [GrpcStatus.DATA_LOSS]: 'server-error',
  [GrpcStatus.UNAUTHENTICATED]: 'client-error',
} as const satisfies Record<GrpcStatus, RemoteErrorKind>;

/** grpc-js reports a response it could not decode as INTERNAL with this prefix: the answer broke the protocol. */
const PARSE_FAILURE = 'Response message parsing error';

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number' && 'metadata' in error;
}

export function grpcStatusName(code: number): string {
  return GrpcStatus[code] ?? `status ${code}`;
}

/** Anything a try can throw, as a RemoteError. */
export function grpcFailure(error: unknown): RemoteError {
  if (error instanceof RemoteError) return error;
  if (error instanceof ProtocolError) return new RemoteError('malformed', error.message);
  if (!isServiceError(error)) return new RemoteError('connection', describeError(error));
  const details = error.details || error.message;
  if (error.code === GrpcStatus.INTERNAL && details.startsWith(PARSE_FAILURE)) return new RemoteError('malformed', details);
  const kind: RemoteErrorKind = KIND_OF_STATUS[error.code as GrpcStatus] ?? 'server-error';
  return new RemoteError(kind, `${grpcStatusName(error.code)}: ${details}`);
}
