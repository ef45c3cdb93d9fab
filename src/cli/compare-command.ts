import type { Argv } from 'yargs';
import { UserError } from './errors.js';

/** The flags of `mlbench compare`. */
export function defineCompareFlags<T>(y: Argv<T>) {
  return y;
}

export type CompareFlags = Awaited<ReturnType<typeof defineCompareFlags>['argv']>;

/** `mlbench compare`: returns the exit code. */
export async function compareCommand(_flags: CompareFlags): Promise<number> {
  throw new UserError('flag', 'mlbench compare is not implemented yet');
}
