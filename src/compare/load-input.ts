import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { UserError } from '../cli/errors.js';
import type { RunResult } from '../results/types.js';
import { formatProblems, validateDocument } from '../results/validate.js';
import type { SweepResult } from '../sweep/types.js';
import type { LoadedInput } from './types.js';

export async function loadInput(file: string): Promise<LoadedInput> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new UserError('config', `${file}: cannot read: ${error instanceof Error ? error.message : String(error)}`);
  });
  return parseInput(file, text);
}

/**
 * Recognises a result.json, sweep.json or profile.json by its content (then by its name) and
 * checks it. Anything else is a UserError naming the file and what is wrong.
 */
export function parseInput(file: string, text: string): LoadedInput {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new UserError('config', `${file}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new UserError('config', `${file}: expected a JSON object (an mlbench result.json or sweep.json)`);
  }
  const record = doc as Record<string, unknown>;
  const name = basename(file);
  if (record['kind'] === 'profile' || 'profileId' in record || name === 'profile.json') {
    throw new UserError('config', `${file}: profile.json is not supported yet: compare the result.json or sweep.json files instead`);
  }
  if ('sweepId' in record || (name === 'sweep.json' && !('runId' in record))) {
    const problems = validateDocument('sweep', record, file);
    if (problems.length > 0) throw new UserError('config', `${file} is not a valid sweep.json:\n${formatProblems(problems)}`);
    return { kind: 'sweep', file, sweep: record as unknown as SweepResult };
  }
  if ('runId' in record || name === 'result.json') {
    const problems = validateDocument('result', record, file);
    if (problems.length > 0) throw new UserError('config', `${file} is not a valid result.json:\n${formatProblems(problems)}`);
    return { kind: 'result', file, result: record as unknown as RunResult };
  }
  throw new UserError('config', `${file}: not an mlbench result.json (no runId) or sweep.json (no sweepId)`);
}
