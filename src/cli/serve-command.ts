import type { Argv } from 'yargs';
import { UserError } from './errors.js';

// Placeholder wiring: the server is being written in src/serve (issue 4).
export function defineServeFlags<T>(y: Argv<T>) {
  return y;
}

export async function serveCommand(_flags: unknown): Promise<number> {
  throw new UserError('flag', 'mlbench serve is not available yet');
}
