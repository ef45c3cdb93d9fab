import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cliNodeArgs } from '../../cli/cli-process.js';
import type { RunResult } from '../../results/types.js';

const run = promisify(execFile);

/**
 * One `mlbench ... --json` run in its own process, its result.json parsed. Exit 3 (INVALID)
 * still prints a result; a run that prints none is an error naming the arguments.
 */
export async function runCliJson(args: readonly string[]): Promise<RunResult> {
  const { stdout } = await run(process.execPath, cliNodeArgs([...args, '--json']), { maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string; message: string }) => {
      if (error.stdout?.trim().startsWith('{')) return { stdout: error.stdout };
      throw new Error(`mlbench ${args.join(' ')} failed: ${error.message}`);
    },
  );
  return JSON.parse(stdout) as RunResult;
}
