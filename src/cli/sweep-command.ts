import type { Argv } from 'yargs';
import { UserError } from './errors.js';

/** The flags of `mlbench sweep`. */
export function defineSweepFlags<T>(y: Argv<T>) {
  return y;
}

export type SweepFlags = Awaited<ReturnType<typeof defineSweepFlags>['argv']>;

/** `mlbench sweep`: returns the exit code. */
export async function sweepCommand(_flags: SweepFlags): Promise<number> {
  throw new UserError('flag', 'mlbench sweep is not implemented yet');
}
