import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatProblems } from '../results/config-problem.js';
import { formatSweep } from './format-sweep.js';
import type { SweepResult } from './types.js';
import { validateSweep } from './validate-sweep.js';

/**
 * Writes sweep.json (schema-checked first: a sweep that does not match its own schema is a
 * bug) and summary.txt into the sweep folder. Called after every point, so an interrupted
 * or crashed sweep still leaves what it measured.
 */
export async function writeSweep(dir: string, sweep: SweepResult): Promise<void> {
  const problems = validateSweep(sweep, 'sweep.json');
  if (problems.length > 0) throw new Error(`sweep.json does not match schemas/sweep.schema.json:\n${formatProblems(problems)}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'sweep.json'), `${JSON.stringify(sweep, null, 2)}\n`);
  await writeFile(join(dir, 'summary.txt'), formatSweep(sweep));
}
