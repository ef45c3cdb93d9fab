import type { ErrorObject } from 'ajv/dist/2020.js';
import type { ConfigProblem } from './config-problem.js';
import { closestName } from './suggest.js';

/** Keywords that only say "a branch below failed"; the branch's own errors say what. */
const COMBINATORS = new Set(['oneOf', 'anyOf', 'allOf', 'if', 'not']);

/** Known patterns in plain words; others are shown as the regular expression. */
const PATTERN_WORDS: Readonly<Record<string, string>> = {
  '^[0-9]{1,20}$': 'a decimal string of 1 to 20 digits',
  '^[a-z0-9]+(-[a-z0-9]+)*$': 'a kebab-case name (lowercase letters and digits joined by single hyphens)',
  '^[0-9]+\\.[0-9]+\\.[0-9]+$': 'a version like 1.0.0',
  '^[0-9a-f]{64}$': '64 lowercase hex digits',
};

/**
 * Turns Ajv errors (compiled with `verbose: true`, so each carries its schema and data) into one
 * problem per real mistake, in plain words.
 */
export function problemsFromAjvErrors(errors: readonly ErrorObject[], source: string): ConfigProblem[] {
  const real = errors.filter((error) => !isCombinatorNoise(error, errors));
  const typoFor = new Map<ErrorObject, string>();
  const explainedMissing = new Set<string>();
  for (const error of real) {
    if (error.keyword !== 'additionalProperties') continue;
    const suggestion = closestName(String(error.params['additionalProperty']), propertyNames(error.parentSchema));
    if (suggestion === undefined) continue;
    typoFor.set(error, suggestion);
    // "unknown 'minDurationSec'" and "missing 'minDurationMs'" are one mistake: report it once.
    explainedMissing.add(`${error.instancePath}\u0000${suggestion}`);
  }

  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const error of real) {
    if (
      error.keyword === 'required' &&
      explainedMissing.has(`${error.instancePath}\u0000${String(error.params['missingProperty'])}`)
    ) {
      continue;
    }
    const problem = describe(error, typoFor.get(error), source);
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function isCombinatorNoise(error: ErrorObject, all: readonly ErrorObject[]): boolean {
  if (!COMBINATORS.has(error.keyword)) return false;
  const base = error.schemaPath.slice(0, error.schemaPath.lastIndexOf('/') + 1);
  return all.some((other) => other !== error && other.schemaPath.startsWith(base) && !COMBINATORS.has(other.keyword));
}

function describe(error: ErrorObject, typo: string | undefined, source: string): ConfigProblem {
  const at = (message: string, extraKey?: string): ConfigProblem => ({
    source,
    path: jsonPath(error.instancePath, extraKey),
    message,
  });
  const params = error.params as Record<string, unknown>;
  const found = describeValue(error.data);
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params['additionalProperty']);
      return at(`unknown property '${name}' (${typo === undefined ? allowedNames(error.parentSchema) : `did you mean '${typo}'?`})`, name);
    }
    case 'required':
      return at(`missing required property '${String(params['missingProperty'])}'`);
    case 'type':
      return at(`expected ${String(params['type']).split(',').join(' or ')}, found ${found}`);
    case 'enum':
      return at(expectedOneOf(error.schema as readonly unknown[], error.data));
    case 'const':
      return at(expectedOneOf([error.schema], error.data));
    case 'discriminator':
      return describeDiscriminator(error, source);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(`expected a number ${String(params['comparison'])} ${String(params['limit'])}, found ${String(error.data)}`);
    case 'pattern': {
      const pattern = String(params['pattern']);
      return at(`expected ${PATTERN_WORDS[pattern] ?? `a string matching /${pattern}/`}, found ${found}`);
    }
    case 'format':
      return at(`expected a ${String(params['format'])} string, found ${found}`);
    case 'minLength':
      return at(params['limit'] === 1 ? 'expected a non-empty string' : `expected at least ${String(params['limit'])} characters, found ${found}`);
    case 'maxLength':
      return at(`expected at most ${String(params['limit'])} characters, found ${String((error.data as string).length)}`);
    case 'oneOf':
      return at('matches more than one of the allowed shapes; make it match exactly one');
    default:
      return at(`${error.message ?? 'is invalid'}, found ${found}`);
  }
}

/** A dataset-like `oneOf` chosen by a tag: say which tag values exist. */
function describeDiscriminator(error: ErrorObject, source: string): ConfigProblem {
  const tag = String(error.params['tag']);
  const values = tagValues(error.parentSchema, tag);
  const allowed = values.map((value) => `'${value}'`).join(', ');
  const path = jsonPath(error.instancePath, tag);
  const tagValue: unknown = error.params['tagValue'];
  if (tagValue === undefined) {
    return { source, path: jsonPath(error.instancePath), message: `missing required property '${tag}' (one of ${allowed})` };
  }
  return { source, path, message: expectedOneOf(values, tagValue) };
}

function expectedOneOf(allowed: readonly unknown[], data: unknown): string {
  const list = allowed.map((value) => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value)));
  const expected = list.length === 1 ? `expected ${list[0]}` : `expected one of ${list.join(', ')}`;
  const strings = allowed.filter((value): value is string => typeof value === 'string');
  const suggestion = typeof data === 'string' ? closestName(data, strings) : undefined;
  return `${expected}, found ${describeValue(data)}${suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`}`;
}

/** `string "10"`, `number 5`, `null`, `an array`... */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      const text = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
      return `string ${text}`;
    }
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'an object';
    case 'undefined':
      return 'nothing';
    default:
      return typeof value;
  }
}

/** JSON Pointer `/settings/seeds/0` -> `$.settings.seeds[0]`. */
export function jsonPath(pointer: string, extraKey?: string): string {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);
  if (extraKey !== undefined) segments.push(extraKey);
  let path = '$';
  for (const segment of segments) {
    if (/^[0-9]+$/.test(segment)) path += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

function unescapePointer(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

function propertyNames(schema: unknown): string[] {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties === undefined ? [] : Object.keys(properties);
}

function allowedNames(schema: unknown): string {
  const names = propertyNames(schema);
  if (names.length > 0) return `allowed: ${names.join(', ')}`;
  const patterns = Object.keys((schema as { patternProperties?: Record<string, unknown> } | undefined)?.patternProperties ?? {});
  if (patterns.length > 0) return `names must match ${patterns.map((p) => `/${p}/`).join(' or ')}`;
  return 'no properties are allowed here';
}

function tagValues(schema: unknown, tag: string): string[] {
  const branches = (schema as { oneOf?: readonly { properties?: Record<string, { const?: unknown }> }[] } | undefined)?.oneOf ?? [];
  return branches.map((branch) => branch.properties?.[tag]?.const).filter((value): value is string => typeof value === 'string');
}
