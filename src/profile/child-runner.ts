import { spawn } from 'node:child_process';
import { CLI_PATH, cliNodeArgs } from '../cli/cli-process.js';
import { type CellArgsContext, cellArgs } from './cell-args.js';
import type { CellRunner, CellStep, ChildOutcome } from './runner.js';

/**
 * Runs each step as `node dist/cli/main.js run ... --json`, under the bin's V8 flags. The child gets its own process group,
 * so a terminal's Ctrl-C reaches only the profile, which stops the child with one SIGINT (a
 * second would make it quit before writing what it measured); if the profile exits first, the
 * child is killed with it.
 */
export class ChildProcessRunner implements CellRunner {
  readonly #context: CellArgsContext;
  readonly #cliPath: string;

  constructor(context: CellArgsContext, cliPath: string = CLI_PATH) {
    this.#context = context;
    this.#cliPath = cliPath;
  }

  run(step: CellStep, signal: AbortSignal): Promise<ChildOutcome> {
    const args = cliNodeArgs(cellArgs(step, this.#context), this.#cliPath);
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
        env: { ...process.env, NO_COLOR: '1' },
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => stdout.push(d));
      child.stderr.on('data', (d: Buffer) => stderr.push(d));
      const stop = (): void => {
        child.kill('SIGINT');
      };
      const killOnExit = (): void => {
        child.kill('SIGKILL');
      };
      if (signal.aborted) stop();
      else signal.addEventListener('abort', stop, { once: true });
      process.on('exit', killOnExit);
      const cleanUp = (): void => {
        signal.removeEventListener('abort', stop);
        process.off('exit', killOnExit);
      };
      child.on('error', (error) => {
        cleanUp();
        reject(error);
      });
      child.on('close', (exitCode, exitSignal) => {
        cleanUp();
        resolve({ exitCode, signal: exitSignal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
      });
    });
  }
}
