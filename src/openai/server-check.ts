import type { Pool } from 'undici';
import { UserError } from '../cli/errors.js';
import { redactSecrets } from '../remote/auth.js';
import type { HttpEndpoint } from '../remote/endpoint.js';
import { describeError } from '../remote/transport-error.js';
import { openAiErrorMessage } from './error-body.js';

/** The model list gets at least this long: a server may be slow to answer once. */
const MIN_CHECK_TIMEOUT_MS = 10_000;

/** One entry of GET /models, with what vLLM adds when it says. */
export interface ServedModel {
  readonly id: string;
  /** vLLM's max_model_len (context window), null when the server does not say. */
  readonly maxModelLen: number | null;
}

/**
 * GET {url}/models before any run: reachable, an OpenAI model list, and the model to use.
 * Every problem is a UserError saying what was expected.
 */
export async function checkOpenAiServer(
  pool: Pool,
  endpoint: HttpEndpoint,
  headers: Readonly<Record<string, string>>,
  wanted: { model: string | null; timeoutMs: number },
): Promise<ServedModel> {
  const url = endpoint.display;
  const path = `${endpoint.basePath}/models`;
  let status: number;
  let body: Uint8Array;
  try {
    const response = await pool.request({ path, method: 'GET', headers, signal: AbortSignal.timeout(Math.max(MIN_CHECK_TIMEOUT_MS, wanted.timeoutMs)) });
    status = response.statusCode;
    body = new Uint8Array(await response.body.arrayBuffer());
  } catch (error) {
    const why = redactSecrets(describeError(error), headers);
    throw new UserError('server', `cannot reach ${url} (GET ${path}): ${why}; is the server running, and is --url its OpenAI base URL, e.g. http://127.0.0.1:8000/v1?`);
  }
  if (status !== 200) {
    const said = redactSecrets(openAiErrorMessage(body), headers);
    throw new UserError('server', `${url}: GET ${path} answered HTTP ${status}${said === '' ? '' : `: ${said}`}${statusHint(status)}`);
  }
  const models = modelList(body, `${url}: GET ${path}`);
  return chooseServedModel(models, wanted.model, url);
}

function statusHint(status: number): string {
  if (status === 401 || status === 403) return '; set OPENAI_API_KEY (or an Authorization header in $MLBENCH_AUTH_HEADER / --auth-file)';
  if (status === 404) return '; --url should be the OpenAI API base, usually ending in /v1';
  return '';
}

/** The OpenAI list format: {"object": "list", "data": [{"id": ...}, ...]}. */
function modelList(body: Uint8Array, where: string): ServedModel[] {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw new UserError('server', `${where}: the answer is not JSON; expected an OpenAI model list {"data": [{"id": ...}]}`);
  }
  const data = typeof json === 'object' && json !== null ? (json as { data?: unknown }).data : undefined;
  if (!Array.isArray(data)) throw new UserError('server', `${where}: expected an OpenAI model list {"data": [{"id": ...}]}, got no "data" array`);
  const models: ServedModel[] = [];
  for (const entry of data) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { id, max_model_len: maxLen } = entry as { id?: unknown; max_model_len?: unknown };
    if (typeof id === 'string') models.push({ id, maxModelLen: typeof maxLen === 'number' ? maxLen : null });
  }
  return models;
}

export function chooseServedModel(models: readonly ServedModel[], wanted: string | null, url: string): ServedModel {
  const names = models.map((m) => m.id);
  if (wanted !== null) {
    const found = models.find((m) => m.id === wanted);
    if (found !== undefined) return found;
    const listing = names.length > 0 ? `it serves: ${names.join(', ')}` : 'it lists no model';
    throw new UserError('server', `${url} does not serve model '${wanted}' (GET /models); ${listing}`);
  }
  if (models.length === 1) return models[0]!;
  if (models.length === 0) throw new UserError('server', `${url} lists no model (GET /models); is a model loaded?`);
  throw new UserError('server', `${url} serves ${models.length} models: ${names.join(', ')}; pass --model NAME to choose one`);
}
