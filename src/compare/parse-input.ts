import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { UserError } from '../cli/errors.js';
import type { ProfileResult } from '../profile/types.js';
import type { RunResult } from '../results/types.js';
import { formatProblems, validateDocument } from '../results/validate.js';
import type { SweepResult } from '../sweep/types.js';
import type { MeasuredInput } from './types.js';

/** A profile.json as read, before its rows' result.json files are loaded. */
export interface ProfileDocument {
  readonly kind: 'profile-document';
  readonly file: string;
  readonly profile: ProfileResult;
}

/** The file's text; an unreadable file is a UserError naming it. */
export async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((error: unknown) => {
    throw new UserError('config', `${file}: cannot read: ${error instanceof Error ? error.message : String(error)}`);
  });
}

/**
 * Recognises a result.json, sweep.json or profile.json by its content (then by its name) and
 * checks it against its schema. Anything else is a UserError naming the file and what is wrong.
 */
export function parseInput(file: string, text: string): MeasuredInput | ProfileDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new UserError('config', `${file}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new UserError('config', `${file}: expected a JSON object (an mlbench result.json, sweep.json or profile.json)`);
  }
  const record = doc as Record<string, unknown>;
  const name = basename(file);
  if (record['kind'] === 'profile' || 'profileId' in record || name === 'profile.json') {
    const problems = validateDocument('profile', record, file);
    if (problems.length > 0) throw new UserError('config', `${file} is not a valid profile.json:\n${formatProblems(problems)}`);
    return { kind: 'profile-document', file, profile: record as unknown as ProfileResult };
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
