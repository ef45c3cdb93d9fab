/** Why the LLM server refused a request; each kind has its HTTP status and OpenAI error type. */
export const OPENAI_ERROR_KINDS = ['invalid', 'not-found', 'method', 'too-large', 'not-ready', 'queue-full', 'internal'] as const;
export type OpenAiErrorKind = (typeof OPENAI_ERROR_KINDS)[number];

export const OPENAI_HTTP_STATUS = {
  invalid: 400,
  'not-found': 404,
  method: 405,
  'too-large': 413,
  'not-ready': 503,
  // 503 with Retry-After, as the KServe server does: the queue is the server's, not the client's fault.
  'queue-full': 503,
  internal: 500,
} as const satisfies Record<OpenAiErrorKind, number>;

/** The `type` field OpenAI's API puts in its error objects (clients switch on it). */
const OPENAI_ERROR_TYPE = {
  invalid: 'invalid_request_error',
  'not-found': 'invalid_request_error',
  method: 'invalid_request_error',
  'too-large': 'invalid_request_error',
  'not-ready': 'server_error',
  'queue-full': 'server_error',
  internal: 'server_error',
} as const satisfies Record<OpenAiErrorKind, string>;

/** A request answered with an OpenAI error object; `param` names the offending field. */
export class OpenAiError extends Error {
  readonly kind: OpenAiErrorKind;
  readonly param: string | null;
  readonly code: string | null;

  constructor(kind: OpenAiErrorKind, message: string, options: { param?: string; code?: string } = {}) {
    super(message);
    this.name = 'OpenAiError';
    this.kind = kind;
    this.param = options.param ?? null;
    this.code = options.code ?? null;
  }

  get status(): number {
    return OPENAI_HTTP_STATUS[this.kind];
  }

  /** `{error: {message, type, param, code}}`, the body OpenAI and vLLM send. */
  toJson(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: OPENAI_ERROR_TYPE[this.kind], param: this.param, code: this.code } };
  }
}

/** Anything thrown while answering, as the error the client gets (unknown failures are 500s). */
export function asOpenAiError(error: unknown): OpenAiError {
  if (error instanceof OpenAiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new OpenAiError('internal', `internal error: ${message}`);
}
