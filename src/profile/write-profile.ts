import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatProblems } from '../results/config-problem.js';
import { formatProfile } from './format-profile.js';
import type { ProfileResult } from './types.js';
import { validateProfile } from './validate-profile.js';

/** `profile-20261123T183205Z-a1b2c3`: the profile's folder name; sorts by start time. */
export function profileIdFor(date: Date): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `profile-${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * Writes profile.json (schema-checked first: a profile that does not match its own schema is a
 * bug) and summary.txt. Called after every row, so an interrupted or crashed profile keeps
 * what it measured.
 */
export async function writeProfile(dir: string, profile: ProfileResult): Promise<void> {
  const problems = validateProfile(profile, 'profile.json');
  if (problems.length > 0) throw new Error(`profile.json does not match schemas/profile.schema.json:\n${formatProblems(problems)}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'profile.json'), `${JSON.stringify(profile, null, 2)}\n`);
  await writeFile(join(dir, 'summary.txt'), formatProfile(profile));
}
