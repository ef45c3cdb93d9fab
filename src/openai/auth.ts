/** The environment variable OpenAI's own clients read the API key from. */
export const OPENAI_API_KEY_ENV = 'OPENAI_API_KEY';

/**
 * The headers to send: `headers` plus `Authorization: Bearer $OPENAI_API_KEY` when the variable
 * is set and `headers` has no authorization of its own (an explicit auth header wins).
 */
export function openAiAuthHeaders(
  env: Readonly<Record<string, string | undefined>>,
  headers: Readonly<Record<string, string>>,
): Record<string, string> {
  const key = env[OPENAI_API_KEY_ENV]?.trim() ?? '';
  const hasAuthorization = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
  if (key === '' || hasAuthorization) return { ...headers };
  return { ...headers, authorization: `Bearer ${key}` };
}
