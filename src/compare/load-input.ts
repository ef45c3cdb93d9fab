import { expandProfile } from './load-profile.js';
import { parseInput, readText } from './parse-input.js';
import type { LoadedInput } from './types.js';

export { parseInput } from './parse-input.js';

/** Reads one input file; a profile.json comes with its rows' result.json files loaded. */
export async function loadInput(file: string): Promise<LoadedInput> {
  const parsed = parseInput(file, await readText(file));
  return parsed.kind === 'profile-document' ? expandProfile(parsed.file, parsed.profile) : parsed;
}
