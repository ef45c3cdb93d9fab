import type { Pool } from 'undici';
import { UserError } from '../cli/errors.js';
import { redactSecrets } from './auth.js';
import type { HttpEndpoint } from './endpoint.js';
import { serverMessage } from './http-failure.js';
import { chooseModel, type RemoteModel, remoteModelFromMetadata } from './model-metadata.js';
import { describeError } from './transport-error.js';

/** Setup calls (health, index, metadata) get at least this long: a server may be slow to answer once. */
const MIN_SETUP_TIMEOUT_MS = 10_000;

interface Answer {
  readonly status: number;
  readonly body: Uint8Array;
}

/** What create() learns before the run: everything a problem with is a UserError. */
export interface HttpServerFacts {
  readonly model: RemoteModel;
  /** "name version" from GET /v2, or null when the server does not say. */
  readonly server: string | null;
}

/**
 * The checks a run needs before it starts, each failure a message saying what to do:
 * reachable, ready, which model, what it takes.
 */
export async function inspectHttpServer(
  pool: Pool,
  endpoint: HttpEndpoint,
  headers: Readonly<Record<string, string>>,
  wanted: { model: string | null; version: string; timeoutMs: number },
): Promise<HttpServerFacts> {
  const timeoutMs = Math.max(MIN_SETUP_TIMEOUT_MS, wanted.timeoutMs);
  const call = async (method: 'GET' | 'POST', path: string): Promise<Answer> => {
    try {
      const response = await pool.request({
        path: `${endpoint.basePath}${path}`,
        method,
        headers: method === 'POST' ? { ...headers, 'content-type': 'application/json' } : headers,
        body: method === 'POST' ? '{}' : null,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.statusCode, body: new Uint8Array(await response.body.arrayBuffer()) };
    } catch (error) {
      const why = redactSecrets(describeError(error), headers);
      throw new UserError('server', `cannot reach ${endpoint.display} (${method} ${path}): ${why}; is the server running, and is this its HTTP port?`);
    }
  };
  const url = endpoint.display;

  const ready = await call('GET', '/v2/health/ready');
  if (ready.status === 404) {
    throw new UserError('server', `${url} has no GET /v2/health/ready (HTTP 404): is this the base URL of a KServe v2 server?`);
  }
  if (ready.status !== 200) {
    throw new UserError('server', `${url} answered not ready (GET /v2/health/ready: HTTP ${ready.status}${quote(ready.body, headers)}); wait until it has loaded its models, then run again`);
  }

  const name = wanted.model ?? (await discoverModel(call, url, headers));
  const path = `/v2/models/${encodeURIComponent(name)}${wanted.version === '' ? '' : `/versions/${encodeURIComponent(wanted.version)}`}`;
  const metadata = await call('GET', path);
  if (metadata.status !== 200) {
    const listing = metadata.status === 404 ? await listModelsQuietly(call) : '';
    const what = wanted.version === '' ? `model '${name}'` : `model '${name}' version ${wanted.version}`;
    throw new UserError('server', `${url} does not serve ${what} (GET ${path}: HTTP ${metadata.status}${quote(metadata.body, headers)})${listing}`);
  }
  const model = remoteModelFromMetadata(parseJson(metadata.body, `${url} GET ${path}`), `${url} model '${name}'`);

  const about = await call('GET', '/v2').catch(() => null);
  return { model: { ...model, name }, server: about?.status === 200 ? serverName(about.body) : null };
}

type Call = (method: 'GET' | 'POST', path: string) => Promise<Answer>;

/** Triton's repository index (POST /v2/repository/index): not part of the core protocol, so a 404 is likely. */
async function discoverModel(call: Call, url: string, headers: Readonly<Record<string, string>>): Promise<string> {
  const index = await call('POST', '/v2/repository/index');
  if (index.status !== 200) {
    throw new UserError('server', `${url} cannot list its models (POST /v2/repository/index: HTTP ${index.status}${quote(index.body, headers)}); pass --model NAME`);
  }
  return chooseModel(indexEntries(parseJson(index.body, `${url} POST /v2/repository/index`), url), url);
}

async function listModelsQuietly(call: Call): Promise<string> {
  try {
    const index = await call('POST', '/v2/repository/index');
    if (index.status !== 200) return '';
    const names = [...new Set(indexEntries(JSON.parse(Buffer.from(index.body).toString('utf8')), '').map((e) => e.name))];
    return names.length > 0 ? `; it serves: ${names.join(', ')}` : '';
  } catch {
    return '';
  }
}

function indexEntries(json: unknown, url: string): { name: string; state: string }[] {
  if (!Array.isArray(json)) throw new UserError('server', `${url}: the repository index is not a JSON array`);
  return json
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string')
    .map((e) => ({ name: e['name'] as string, state: typeof e['state'] === 'string' ? e['state'] : '' }));
}

function serverName(body: Uint8Array): string | null {
  try {
    const json = JSON.parse(Buffer.from(body).toString('utf8')) as { name?: unknown; version?: unknown };
    if (typeof json.name !== 'string') return null;
    return typeof json.version === 'string' ? `${json.name} ${json.version}` : json.name;
  } catch {
    return null;
  }
}

function parseJson(body: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw new UserError('server', `${where}: the answer is not JSON; is this a KServe v2 server?`);
  }
}

function quote(body: Uint8Array, headers: Readonly<Record<string, string>>): string {
  const said = serverMessage(body);
  return said === '' ? '' : `: ${redactSecrets(said, headers)}`;
}
