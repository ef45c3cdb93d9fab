/**
 * One line for an error from the OS, undici or grpc-js: the code when there is one (ECONNREFUSED,
 * UND_ERR_SOCKET), and the message. Node reports a refused `localhost` (tried over IPv6 and IPv4)
 * as an AggregateError with an empty message: its first cause says more.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = error instanceof AggregateError && error.errors.length > 0 ? (error.errors[0] as unknown) : null;
  if (inner instanceof Error && error.message === '') return describeError(inner);
  const code = errorCode(error);
  const message = error.message || error.name;
  return code !== null && !message.includes(code) ? `${message} (${code})` : message;
}

export function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  if (error instanceof AggregateError) return errorCode(error.errors[0]);
  return null;
}
