import { ProtocolError } from '../kserve/protocol-error.js';
import { ExchangeTimeout } from './http-exchange.js';
import { describeError, errorCode } from './transport-error.js';
import { RemoteError, type RemoteErrorKind } from './types.js';

/** The longest piece of a server's error body quoted in a message. */
const MAX_QUOTED_CHARS = 300;

/**
 * The kind of a non-200 answer. 503 is admission control (Triton, KServe and `mlbench serve`
 * shed load with it), and so is 429; any other 5xx is the server failing, 4xx the request being
 * wrong for this server.
 */
export function httpStatusKind(status: number): RemoteErrorKind {
  if (status === 503 || status === 429) return 'refused';
  if (status >= 500 && status <= 599) return 'server-error';
  if (status >= 400 && status <= 499) return 'client-error';
  return 'malformed';
}

export function httpStatusError(status: number, body: Uint8Array, retryAfter: string | string[] | undefined): RemoteError {
  const kind = httpStatusKind(status);
  const said = serverMessage(body);
  const retry = retryAfter === undefined ? '' : ` (Retry-After: ${Array.isArray(retryAfter) ? retryAfter[0] : retryAfter})`;
  const what = kind === 'malformed' ? `unexpected HTTP status ${status}` : `HTTP ${status}`;
  return new RemoteError(kind, `${what}${retry}${said === '' ? '' : `: ${said}`}`);
}

/** The v2 error body is {"error": "..."}; anything else is quoted as text, shortened. */
export function serverMessage(body: Uint8Array): string {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8').trim();
  let said = text;
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json === 'object' && json !== null && typeof (json as { error?: unknown }).error === 'string') said = (json as { error: string }).error;
  } catch {
    // Not JSON: quote the text.
  }
  return said.length > MAX_QUOTED_CHARS ? `${said.slice(0, MAX_QUOTED_CHARS)}...` : said;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
/** The server answered, but not in HTTP/1.1 as undici can parse it. */
const MALFORMED_CODES = new Set(['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'UND_ERR_HEADERS_OVERFLOW', 'UND_ERR_RES_EXCEEDED_MAX_SIZE', 'UND_ERR_INFO']);

/** Anything a try can throw, as a RemoteError. */
export function httpFailure(error: unknown): RemoteError {
  if (error instanceof RemoteError) return error;
  if (error instanceof ExchangeTimeout) return new RemoteError('timeout', error.message);
  if (error instanceof ProtocolError) return new RemoteError('malformed', error.message);
  const code = errorCode(error) ?? '';
  if (TIMEOUT_CODES.has(code)) return new RemoteError('timeout', describeError(error));
  if (MALFORMED_CODES.has(code) || code.startsWith('HPE_')) return new RemoteError('malformed', describeError(error));
  // Reset, refused, closed mid-response, pool destroyed: the connection, not the server's answer.
  return new RemoteError('connection', describeError(error));
}
