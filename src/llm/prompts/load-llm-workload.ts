import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../../cli/errors.js';
import type { SettingsOverrides } from '../../loadgen/settings.js';
import type { ScenarioName } from '../../loadgen/types.js';
import { type ConfigProblem, formatProblems } from '../../results/config-problem.js';
import { readJsonFile, resolveWorkloadPath } from '../../workloads/load-workload.js';
import { assertFitsContext } from './context-check.js';
import { rangeProblem, sessionProblem } from './spec-problems.js';
import type { LengthDistribution, PromptSetSpec } from './types.js';
import { validateLlmWorkload } from './validate-llm-workload.js';

/** workloads/<name>/workload.json with kind 'llm', as schemas/llm-workload.schema.json allows it. */
export interface LlmWorkloadFile {
  readonly kind: 'llm';
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  readonly count: number;
  readonly input?: LengthDistribution;
  readonly output?: LengthDistribution;
  readonly lengthFile?: string;
  readonly sharedPrefixTokens?: number;
  readonly turns?: number;
  readonly defaults?: Partial<Record<ScenarioName, SettingsOverrides>>;
}

export interface LlmWorkload {
  readonly spec: PromptSetSpec;
  readonly description: string;
  /** Settings per scenario the workload suggests; scenario files and flags override them. */
  readonly defaults: Partial<Record<ScenarioName, SettingsOverrides>>;
  /** The workload file's absolute path. */
  readonly source: string;
}

export interface LoadLlmWorkloadOptions {
  /** The model's context window: reject a workload one of whose requests could exceed it. */
  readonly maxContext?: number;
}

/** Used in a spec when a length file replaces the distributions (they are not read then). */
const UNUSED_LENGTH: LengthDistribution = { kind: 'fixed', tokens: 1 };

/**
 * `--workload NAME` (a built-in under workloads/) or a path to an LLM workload file: checked
 * against its schema and for what a schema cannot say, every problem reported at once.
 */
export function loadLlmWorkload(nameOrPath: string, options: LoadLlmWorkloadOptions = {}): LlmWorkload {
  const source = resolveWorkloadPath(nameOrPath);
  const data = readJsonFile(source, 'workload file');
  const problems = [...validateLlmWorkload(data, source), ...crossFieldProblems(data, source)];
  if (problems.length > 0) throw new UserError('config', `invalid LLM workload file:\n${formatProblems(problems)}`);
  const file = data as LlmWorkloadFile;
  const spec: PromptSetSpec = {
    name: file.name,
    seed: file.seed,
    count: file.count,
    input: file.input ?? UNUSED_LENGTH,
    output: file.output ?? UNUSED_LENGTH,
    lengthFile: file.lengthFile === undefined ? null : resolve(dirname(source), file.lengthFile),
    sharedPrefixTokens: file.sharedPrefixTokens ?? 0,
    turns: file.turns ?? 1,
  };
  if (options.maxContext !== undefined) assertFitsContext(spec, options.maxContext, source);
  return { spec, description: file.description, defaults: file.defaults ?? {}, source };
}

/** What the schema cannot check, on whatever parts of the file have the right types. */
function crossFieldProblems(data: unknown, source: string): ConfigProblem[] {
  if (typeof data !== 'object' || data === null) return [];
  const file = data as Record<string, unknown>;
  const problems: ConfigProblem[] = [];
  const sessions = sessionProblem(file['count'], file['turns'] ?? 1);
  if (sessions !== null) problems.push({ source, path: '$.count', message: sessions });
  for (const field of ['input', 'output']) {
    const length = file[field];
    if (length === undefined && file['lengthFile'] === undefined) {
      problems.push({ source, path: '$', message: `missing required property '${field}' (give input and output, or a lengthFile)` });
    }
    if (typeof length !== 'object' || length === null) continue;
    const { kind, min, max } = length as Record<string, unknown>;
    if (kind !== 'uniform') continue;
    const range = rangeProblem(min, max);
    if (range !== null) problems.push({ source, path: `$.${field}`, message: range });
  }
  return problems;
}

/** Whether the file at `path` is an LLM workload (kind 'llm'); false when it is missing or not JSON. */
export function isLlmWorkloadFile(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'llm';
  } catch {
    return false;
  }
}

/** isLlmWorkloadFile for what --workload names: a built-in name or a path. False when neither exists. */
export function isLlmWorkload(nameOrPath: string): boolean {
  try {
    return isLlmWorkloadFile(resolveWorkloadPath(nameOrPath));
  } catch (error) {
    if (error instanceof UserError) return false;
    throw error;
  }
}
