import { serverMessage } from '../remote/http-failure.js';

/** The longest piece of a server's error quoted in a message. */
const MAX_QUOTED_CHARS = 300;

/**
 * The message of an OpenAI-style error: `{"error": {"message": ...}}` (OpenAI, vLLM, SGLang),
 * `{"error": "..."}`, `{"message": ...}` (some proxies); any other body is quoted as text.
 */
export function openAiErrorMessage(body: Uint8Array): string {
  const said = errorMessageOf(parseQuietly(body));
  if (said === null) return serverMessage(body);
  return said.length > MAX_QUOTED_CHARS ? `${said.slice(0, MAX_QUOTED_CHARS)}...` : said;
}

/** The message of an error object found in an event or a body; null when it has none. */
export function errorMessageOf(json: unknown): string | null {
  if (typeof json !== 'object' || json === null) return null;
  const error = (json as { error?: unknown }).error;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    return typeof message === 'string' ? message : JSON.stringify(error);
  }
  const message = (json as { message?: unknown }).message;
  return typeof message === 'string' ? message : null;
}

function parseQuietly(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    return null;
  }
}
