import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseLlmReadyLine } from '../../src/llm/serve/llm-serve-lines.js';
import { CLI } from './cli.js';

export interface Served {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** Spawns the built `mlbench serve --llm ARGS` and waits for its ready line. */
export function serveLlm(args: readonly string[]): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', '--llm', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const ready = parseLlmReadyLine(line);
      if (ready === null) return reject(new Error(`unexpected stdout line: ${line}`));
      resolve({ child, url: ready.url, stderr: () => stderr, exited });
    });
    void exited.then((code) => reject(new Error(`mlbench serve --llm exited (${code}) before it was ready: ${stderr}`)));
  });
}
