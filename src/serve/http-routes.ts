import type { ModelTarget } from './inference-core.js';

/** The v2 REST endpoints `mlbench serve` answers (plus Triton's repository index and statistics). */
export type Route =
  | { readonly kind: 'live' | 'ready' | 'server-metadata' | 'repository-index' | 'all-stats' }
  | { readonly kind: 'model-metadata' | 'model-ready' | 'infer' | 'model-stats'; readonly model: ModelTarget };

export type RouteKind = Route['kind'];

export const ROUTE_METHODS = {
  live: 'GET',
  ready: 'GET',
  'server-metadata': 'GET',
  'repository-index': 'POST',
  'all-stats': 'GET',
  'model-metadata': 'GET',
  'model-ready': 'GET',
  infer: 'POST',
  'model-stats': 'GET',
} as const satisfies Record<RouteKind, 'GET' | 'POST'>;

const MODEL_ACTIONS = { ready: 'model-ready', infer: 'infer', stats: 'model-stats' } as const;

/** The route a request path names, or null when it names none. The query string is ignored. */
export function parseRoute(url: string): Route | null {
  const path = url.split('?', 1)[0]!;
  let parts: string[];
  try {
    parts = path.split('/').map(decodeURIComponent);
  } catch {
    return null;
  }
  // A leading slash gives an empty first part; one trailing slash is forgiven.
  if (parts[0] !== '' || parts[1] !== 'v2') return null;
  const rest = parts.slice(2);
  if (rest.at(-1) === '') rest.pop();
  const [a, b, ...more] = rest;
  if (a === undefined) return { kind: 'server-metadata' };
  if (a === 'health' && more.length === 0) return b === 'live' ? { kind: 'live' } : b === 'ready' ? { kind: 'ready' } : null;
  if (a === 'repository' && b === 'index' && more.length === 0) return { kind: 'repository-index' };
  if (a !== 'models' || b === undefined || b === '') return null;
  if (b === 'stats' && more.length === 0) return { kind: 'all-stats' };
  let version: string | null = null;
  let tail = more;
  if (tail[0] === 'versions') {
    if (tail[1] === undefined || tail[1] === '') return null;
    version = tail[1];
    tail = tail.slice(2);
  }
  const model = { name: b, version };
  if (tail.length === 0) return { kind: 'model-metadata', model };
  if (tail.length > 1) return null;
  const action = tail[0]!;
  return Object.hasOwn(MODEL_ACTIONS, action) ? { kind: MODEL_ACTIONS[action as keyof typeof MODEL_ACTIONS], model } : null;
}
