import { readFileSync } from 'node:fs';
import { UserError } from '../cli/errors.js';
import { RemoteError } from './types.js';

/** The environment variable holding auth headers: "Name: value", several separated by newlines. */
export const AUTH_HEADER_ENV = 'MLBENCH_AUTH_HEADER';

export interface AuthSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A file of "Name: value" lines (# comments, blank lines ignored), or null. */
  readonly file: string | null;
}

/** RFC 9110 token characters; gRPC metadata keys are a subset once lowercased. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers the transport owns: setting them would break the request rather than authenticate it. */
const RESERVED = new Set(['host', 'content-type', 'content-length', 'transfer-encoding', 'connection', 'te', 'inference-header-content-length']);

/**
 * Credentials for the server, from the environment and/or a file, never from the command line
 * (which shell history and process lists keep). Names come back lowercased (HTTP does not care,
 * gRPC metadata requires it). Messages name the source and line, never the line itself: a
 * malformed line may be nothing but the secret.
 */
export function loadAuthHeaders(sources: AuthSources): Record<string, string> {
  const headers: Record<string, string> = {};
  const fromEnv = sources.env[AUTH_HEADER_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') addLines(headers, fromEnv, `${AUTH_HEADER_ENV}`);
  if (sources.file !== null) addLines(headers, readAuthFile(sources.file), `auth file ${sources.file}`);
  return headers;
}

function readAuthFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UserError('config', `auth file ${path} cannot be read (${code}); it should hold "Name: value" lines, e.g. "Authorization: Bearer ..."`);
  }
}

function addLines(headers: Record<string, string>, text: string, source: string): void {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `${source} line ${i + 1}`;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    const value = colon > 0 ? line.slice(colon + 1).trim() : '';
    if (!HEADER_NAME.test(name)) {
      throw new UserError('config', `${where}: expected "Name: value", e.g. "Authorization: Bearer ..." (the line is not shown: it may hold a secret)`);
    }
    if (value === '') throw new UserError('config', `${where}: header ${name} has no value`);
    if (RESERVED.has(name)) throw new UserError('config', `${where}: header ${name} is set by mlbench itself and cannot be an auth header`);
    if (name.endsWith('-bin')) throw new UserError('config', `${where}: header ${name}: binary (-bin) gRPC metadata is not supported`);
    if (name in headers) throw new UserError('config', `${where}: header ${name} is given twice`);
    headers[name] = value;
  }
}

/**
 * Replaces every credential found in a message (say, a server echoing the request's headers in
 * its error) so that no message mlbench prints or stores carries one. The token of a
 * "Bearer TOKEN" value is a secret on its own, so long words of a value are replaced too.
 */
export function redactSecrets(message: string, headers: Readonly<Record<string, string>>): string {
  const secrets = Object.values(headers).flatMap((value) => [value, ...value.split(/\s+/).filter((word) => word.length >= MIN_SECRET_WORD)]);
  secrets.sort((a, b) => b.length - a.length);
  let out = message;
  for (const secret of secrets) if (secret.length > 0 && out.includes(secret)) out = out.split(secret).join('<redacted>');
  return out;
}

/** Shorter words of a value ("Bearer", "Basic") are schemes, not secrets. */
const MIN_SECRET_WORD = 8;

/** The same error with every credential taken out of its message (the error itself when there is none). */
export function redactError(error: RemoteError, headers: Readonly<Record<string, string>>): RemoteError {
  const message = redactSecrets(error.message, headers);
  if (message === error.message) return error;
  // RemoteError prefixes its kind to the message: strip it so it is not repeated.
  return new RemoteError(error.kind, message.slice(error.kind.length + 2));
}
