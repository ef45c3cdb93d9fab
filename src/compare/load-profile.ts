import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../cli/errors.js';
import type { ProfileResult, ProfileRow } from '../profile/types.js';
import { parseInput } from './parse-input.js';
import { profileCellName } from './profile-row.js';
import type { ProfileInput, ProfileRowRef, ResultInput } from './types.js';

/**
 * A profile.json as compare inputs: each row's performance run (`resultDir`, relative to the
 * profile folder) loaded as a result input that knows its row. Rows with no result, and rows
 * whose result.json is gone, become notes instead, so no row disappears without a word.
 */
export async function expandProfile(file: string, profile: ProfileResult): Promise<ProfileInput> {
  const folder = dirname(file);
  const rows: ResultInput[] = [];
  const notes: string[] = [];
  for (const row of profile.rows) {
    const ref = refOf(profile, row);
    const where = `${profile.profileId}: ${profileCellName(ref)}`;
    if (row.status !== 'ok' || row.resultDir === null) {
      notes.push(`${where}: ${row.status === 'ok' ? 'no result folder recorded' : `${row.status}: ${row.reason ?? 'no reason recorded'}`}`);
      continue;
    }
    const resultFile = join(folder, row.resultDir, 'result.json');
    const loaded = await loadRowResult(resultFile, ref);
    if (loaded === 'missing') notes.push(`${where}: ${resultFile} is missing; row left out`);
    else rows.push(loaded);
  }
  return { kind: 'profile', file, profile, rows, notes };
}

function refOf(profile: ProfileResult, row: ProfileRow): ProfileRowRef {
  return { profileId: profile.profileId, precision: row.precision, backend: row.backend, variant: row.variant, scenario: row.scenario };
}

async function loadRowResult(file: string, ref: ProfileRowRef): Promise<ResultInput | 'missing'> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UserError('config', `${file}: cannot read: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (text === null) return 'missing';
  const parsed = parseInput(file, text);
  if (parsed.kind !== 'result') throw new UserError('config', `${file}: expected the result.json of profile row ${profileCellName(ref)}, found a ${parsed.kind === 'sweep' ? 'sweep' : 'profile'}`);
  return { ...parsed, profileRow: ref };
}
