/** The endpoints of `mlbench serve --llm`. */
export type LlmRoute =
  | { readonly kind: 'health' }
  | { readonly kind: 'models' }
  | { readonly kind: 'model'; readonly id: string }
  | { readonly kind: 'completions' }
  | { readonly kind: 'chat' };

export const LLM_ROUTE_METHODS = {
  health: 'GET',
  models: 'GET',
  model: 'GET',
  completions: 'POST',
  chat: 'POST',
} as const satisfies Record<LlmRoute['kind'], 'GET' | 'POST'>;

/** The route a request URL names (query string ignored); null: no such endpoint. */
export function parseLlmRoute(url: string): LlmRoute | null {
  const path = url.split('?', 1)[0]!.replace(/\/+$/, '');
  switch (path) {
    case '/health':
      return { kind: 'health' };
    case '/v1/models':
      return { kind: 'models' };
    case '/v1/completions':
      return { kind: 'completions' };
    case '/v1/chat/completions':
      return { kind: 'chat' };
  }
  const model = /^\/v1\/models\/([^/]+)$/.exec(path);
  if (model === null) return null;
  try {
    return { kind: 'model', id: decodeURIComponent(model[1]!) };
  } catch {
    return null;
  }
}
