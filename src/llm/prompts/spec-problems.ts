import { UserError } from '../../cli/errors.js';
import type { ConfigProblem } from '../../results/config-problem.js';
import { formatProblems } from '../../results/config-problem.js';
import type { LengthDistribution, PromptSetSpec } from './types.js';

const MAX_SEED = 0xffffffff;

/**
 * What the JSON schema cannot say about a spec (and what flags can get wrong): counts that do not
 * divide into sessions, inverted ranges. Paths are the workload file's, whose fields are the spec's.
 */
export function specProblems(spec: PromptSetSpec, source: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, message: string): void => {
    problems.push({ source, path, message });
  };
  if (!Number.isSafeInteger(spec.seed) || spec.seed < 0 || spec.seed > MAX_SEED) add('$.seed', `expected an integer in [0, ${MAX_SEED}], found ${spec.seed}`);
  if (!isPositiveInteger(spec.count)) add('$.count', `expected a positive integer, found ${spec.count}`);
  if (!isPositiveInteger(spec.turns)) add('$.turns', `expected a positive integer, found ${spec.turns}`);
  const sessions = sessionProblem(spec.count, spec.turns);
  if (sessions !== null) add('$.count', sessions);
  if (!Number.isSafeInteger(spec.sharedPrefixTokens) || spec.sharedPrefixTokens < 0) {
    add('$.sharedPrefixTokens', `expected a non-negative integer, found ${spec.sharedPrefixTokens}`);
  }
  if (spec.lengthFile === null) {
    lengthProblems(spec.input, '$.input', add);
    lengthProblems(spec.output, '$.output', add);
  }
  return problems;
}

/** Throws every problem of the spec at once (a UserError: specs come from files and flags). */
export function assertValidSpec(spec: PromptSetSpec, source: string): void {
  const problems = specProblems(spec, source);
  if (problems.length > 0) throw new UserError('config', `invalid prompt set:\n${formatProblems(problems)}`);
}

function lengthProblems(distribution: LengthDistribution, path: string, add: (path: string, message: string) => void): void {
  if (distribution.kind === 'fixed') {
    if (!isPositiveInteger(distribution.tokens)) add(`${path}.tokens`, `expected a positive integer, found ${distribution.tokens}`);
    return;
  }
  if (!isPositiveInteger(distribution.min)) add(`${path}.min`, `expected a positive integer, found ${distribution.min}`);
  if (!isPositiveInteger(distribution.max)) add(`${path}.max`, `expected a positive integer, found ${distribution.max}`);
  const range = rangeProblem(distribution.min, distribution.max);
  if (range !== null) add(path, range);
}

/** Cross-field checks the schema cannot make; each takes raw values so a loader can run it beside the schema. */
export function sessionProblem(count: unknown, turns: unknown): string | null {
  if (typeof count !== 'number' || typeof turns !== 'number' || !isPositiveInteger(count) || !isPositiveInteger(turns)) return null;
  return count % turns === 0 ? null : `${count} prompts do not divide into sessions of ${turns} turns (count is sessions x turns)`;
}

export function rangeProblem(min: unknown, max: unknown): string | null {
  return typeof min === 'number' && typeof max === 'number' && min > max ? `min ${min} is above max ${max}` : null;
}

function isPositiveInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1;
}
