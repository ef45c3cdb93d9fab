import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../cli/errors.js';

/** Files a folder search picks up. */
const INPUT_FILES = ['sweep.json', 'result.json', 'profile.json'] as const;
/** Inputs whose folder holds runs of their own. */
const CONTAINER_FILES = ['sweep.json', 'profile.json'] as const;

interface Found {
  readonly file: string;
  /** Named on the command line, not found by a folder search: always kept. */
  readonly explicit: boolean;
}

/**
 * Expands the command line's paths into input files, in the order given (folders sorted by
 * name). A folder holding sweep.json or profile.json is one input: its runs (probes,
 * confirmations; profile cells, their accuracy passes and repetitions) are part of it, so
 * their result.json files are not listed as inputs of their own.
 */
export async function findInputFiles(paths: readonly string[]): Promise<string[]> {
  const found: Found[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (info === null) throw new UserError('flag', `${path}: no such file or folder`);
    if (info.isFile()) {
      found.push({ file: path, explicit: true });
      continue;
    }
    const files = await searchFolder(path);
    if (files.length === 0) throw new UserError('flag', `${path}: no ${INPUT_FILES.join(', ')} in this folder or below it`);
    found.push(...files.map((file) => ({ file, explicit: false })));
  }
  return dropSweepMembers(found);
}

async function searchFolder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
  // A sweep or profile folder is one input: the result.json files under it belong to it.
  const container = CONTAINER_FILES.find((name) => names.has(name));
  if (container !== undefined) return [join(dir, container)];
  const here = INPUT_FILES.filter((name) => names.has(name)).map((name) => join(dir, name));
  const subdirs = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .map((e) => e.name)
    .sort();
  const below: string[] = [];
  for (const name of subdirs) below.push(...(await searchFolder(join(dir, name))));
  return [...here, ...below];
}

/**
 * Drops duplicates, and result.json files a folder search found inside a sweep or profile that
 * is also an input (a profile's rows that are also named on the command line are shown once, by
 * buildComparison).
 */
export function dropSweepMembers(found: readonly Found[]): string[] {
  const containers: readonly string[] = CONTAINER_FILES;
  const sweepDirs = found.filter((f) => containers.includes(basename(f.file))).map((f) => resolve(dirname(f.file)));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const f of found) {
    const absolute = resolve(f.file);
    if (seen.has(absolute)) continue;
    const inSweep = basename(f.file) === 'result.json' && sweepDirs.some((dir) => isInside(absolute, dir));
    if (inSweep && !f.explicit) continue;
    seen.add(absolute);
    out.push(f.file);
  }
  return out;
}

function isInside(file: string, dir: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..';
}
