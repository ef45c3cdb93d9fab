import type { Argv } from 'yargs';
import { UserError } from './errors.js';

/** The flags of `mlbench report`. */
export function defineReportFlags<T>(y: Argv<T>) {
  return y;
}

export type ReportFlags = Awaited<ReturnType<typeof defineReportFlags>['argv']>;

/** `mlbench report`: returns the exit code. */
export async function reportCommand(_flags: ReportFlags): Promise<number> {
  throw new UserError('flag', 'mlbench report is not implemented yet');
}
