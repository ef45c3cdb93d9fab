import { formatSummary } from '../results/format-summary.js';
import { EXIT } from './errors.js';
import { withInterrupt } from './interrupt.js';
import { prepareRun } from './prepare-run.js';
import { recordRun } from './record-run.js';
import type { RunFlags } from './run-flags.js';

export function useColor(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && process.env['NO_COLOR'] === undefined;
}

/** `mlbench run`: one benchmark run, end to end. Returns the exit code. */
export async function runCommand(flags: RunFlags): Promise<number> {
  const prepared = await prepareRun(flags);
  try {
    const { result, dir } = await withInterrupt((signal) =>
      recordRun(prepared, {
        settings: prepared.settings,
        requested: prepared.requested,
        outputRoot: flags.output,
        signal,
        progress: flags.progress && !flags.json,
        referenceOutputs: prepared.referenceOutputs,
      }),
    );
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      process.stderr.write(`${formatSummary(result, { color: useColor(process.stderr) })}\nresults: ${dir}\n`);
    } else {
      process.stdout.write(`${formatSummary(result, { color: useColor(process.stdout) })}\nresults: ${dir}\n`);
    }
    if (result.status === 'aborted') return EXIT.aborted;
    if (result.status === 'failed') return EXIT.runFailed;
    return result.validity.valid ? EXIT.ok : EXIT.invalid;
  } finally {
    await prepared.bundle.dispose();
  }
}
