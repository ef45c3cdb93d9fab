import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI (npm test builds first) with NO_COLOR, as a user would. */
export function runCli(args: readonly string[], options: { onSpawn?: (kill: (signal: NodeJS.Signals) => void) => void } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    options.onSpawn?.((signal) => child.kill(signal));
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `mlbench-${prefix}-`));
}

/** The one run folder under `root`, and its result.json parsed. */
export function onlyRun(root: string): { dir: string; result: Record<string, unknown> } {
  const runs = readdirSync(root);
  if (runs.length !== 1) throw new Error(`expected one run folder in ${root}, found ${runs.join(', ')}`);
  const dir = join(root, runs[0]!);
  return { dir, result: JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as Record<string, unknown> };
}
