import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A child process that prints a line matching `ready` when it can take work. */
export interface ReadyChild {
  readonly child: ChildProcess;
  /** The first line that matched. */
  readonly line: string;
  stop(): Promise<void>;
}

/** Starts `node ...nodeArgs` and waits (at most `timeoutMs`) for a stdout line matching `ready`. */
export function startChild(nodeArgs: readonly string[], ready: RegExp, timeoutMs = 30_000): Promise<ReadyChild> {
  const child = spawn(process.execPath, nodeArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  const command = `node ${nodeArgs.join(' ')}`;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = (): Promise<void> =>
    new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${command} did not print ${ready} within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!ready.test(line)) return;
      clearTimeout(timer);
      lines.removeAllListeners('line');
      resolve({ child, line, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) before it was ready; stderr: ${stderr}`));
    });
  });
}
