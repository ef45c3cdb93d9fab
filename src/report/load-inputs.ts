import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../cli/errors.js';
import type { RunResult } from '../results/types.js';
import { formatProblems, validateDocument } from '../results/validate.js';
import type { SweepResult } from '../sweep/types.js';
import type { DetailRecord, LoadedRun, LoadedSweep, ReportInputs } from './types.js';

/**
 * Reads the report's inputs: result.json / sweep.json files, or folders searched recursively
 * for them. A folder holding a sweep.json is not searched further: its point runs are the
 * sweep's rows, already in the sweep, and would otherwise flood the report with one chart set
 * per point. Anything unreadable is a UserError naming the file.
 */
export function loadInputs(inputs: readonly string[]): ReportInputs {
  const runs: LoadedRun[] = [];
  const sweeps: LoadedSweep[] = [];
  for (const input of inputs) {
    if (!existsSync(input)) throw new UserError('flag', `${input}: no such file or folder`);
    const files = statSync(input).isDirectory() ? findInputFiles(input) : [input];
    if (files.length === 0) throw new UserError('flag', `${input}: no result.json or sweep.json in this folder`);
    for (const file of files) {
      const loaded = loadFile(file);
      if (loaded.kind === 'run') runs.push(loaded);
      else sweeps.push(loaded);
    }
  }
  return { runs, sweeps };
}

function findInputFiles(dir: string): string[] {
  const names = readdirSync(dir, { withFileTypes: true });
  if (names.some((e) => e.isFile() && e.name === 'sweep.json')) return [join(dir, 'sweep.json')];
  const found: string[] = [];
  for (const e of names) {
    if (e.isFile() && e.name === 'result.json') found.push(join(dir, e.name));
  }
  for (const e of names.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory()) found.push(...findInputFiles(join(dir, e.name)));
  }
  return found;
}

function loadFile(path: string): LoadedRun | LoadedSweep {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError('config', `${path}: not readable JSON (${(e as Error).message})`);
  }
  if (isObject(data) && 'sweepId' in data) return { kind: 'sweep', path, sweep: checkSweep(data, path) };
  if (isObject(data) && 'runId' in data) {
    const problems = validateDocument('result', data, path);
    if (problems.length > 0) throw new UserError('config', `${path} is not a valid result.json:\n${formatProblems(problems)}`);
    const detailPath = join(dirname(path), 'detail.jsonl');
    const detail = basename(path) === 'result.json' && existsSync(detailPath) ? readDetail(detailPath) : null;
    return { kind: 'run', path, result: data as unknown as RunResult, detail };
  }
  throw new UserError('config', `${path}: neither a result.json (no runId) nor a sweep.json (no sweepId)`);
}

/** sweep.json is checked against its schema, as result.json is. */
function checkSweep(data: Record<string, unknown>, path: string): SweepResult {
  const problems = validateDocument('sweep', data, path);
  if (problems.length > 0) throw new UserError('config', `${path} is not a valid sweep.json:\n${formatProblems(problems)}`);
  return data as unknown as SweepResult;
}

function readDetail(path: string): DetailRecord[] {
  const records: DetailRecord[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      // A crashed run may leave a torn last line: the flushes before it still stand.
      if (i >= lines.length - 2) break;
      throw new UserError('config', `${path}:${i + 1}: not a JSON line`);
    }
    if (!isObject(record)) throw new UserError('config', `${path}:${i + 1}: not a JSON object`);
    const type = record['type'];
    records.push(type === 'phase' || type === 'queries' || type === 'samples' ? (record as unknown as DetailRecord) : { type: 'other' });
  }
  return records;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
