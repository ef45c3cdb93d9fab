import { OpenAiError } from './openai-error.js';

/**
 * Typed reads of one JSON request's fields, each failing with a 400 that names the field. A
 * field sent as null counts as absent: OpenAI's own clients send nulls for options left unset.
 */
export class RequestFields {
  readonly #body: Readonly<Record<string, unknown>>;

  constructor(body: Readonly<Record<string, unknown>>) {
    this.#body = body;
  }

  /** The raw value, undefined when absent or null. */
  get(name: string): unknown {
    const value = this.#body[name];
    return value === null ? undefined : value;
  }

  string(name: string): string | undefined {
    const value = this.get(name);
    if (value === undefined || typeof value === 'string') return value;
    throw wrongType(name, 'a string', value);
  }

  boolean(name: string): boolean | undefined {
    const value = this.get(name);
    if (value === undefined || typeof value === 'boolean') return value;
    throw wrongType(name, 'a boolean', value);
  }

  number(name: string): number | undefined {
    const value = this.get(name);
    if (value === undefined || (typeof value === 'number' && Number.isFinite(value))) return value;
    throw wrongType(name, 'a number', value);
  }

  /** A whole number of at least `min`. */
  integer(name: string, min: number): number | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(name, 'an integer', value);
    if (value < min) throw new OpenAiError('invalid', `${name} must be at least ${min}, got ${value}.`, { param: name });
    return value;
  }

  object(name: string): RequestFields | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    if (!isPlainObject(value)) throw wrongType(name, 'an object', value);
    return new RequestFields(value);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a JSON value is, in a message: "an array", "a string", ... */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' || type === 'undefined' ? `an ${type}` : `a ${type}`;
}

export function wrongType(name: string, expected: string, value: unknown): OpenAiError {
  return new OpenAiError('invalid', `${name} must be ${expected}, got ${describeJson(value)}.`, { param: name });
}
