import { join } from 'node:path';
import { PACKAGE_ROOT } from '../workloads/paths.js';

/** The built CLI: `dist/cli/main.js` of this package, the file the `mlbench` bin points at. */
export const CLI_PATH = join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');

/**
 * V8 flags the `mlbench` bin runs under: its shebang passes them (`#!/usr/bin/env -S node ...`;
 * a test keeps the two equal). A fixed 16 MiB young generation. By default V8 starts the
 * semi-spaces small and grows them as the process runs, so a long Server run's resident memory
 * climbed for minutes (72 to 114 MiB in a 10-minute soak at 1,000 QPS) while the heap's contents
 * stayed flat. With the flags the young generation is its full size from the start.
 */
export const V8_HEAP_FLAGS: readonly string[] = ['--min-semi-space-size=16', '--max-semi-space-size=16'];

/** `node` arguments that run the CLI as the bin does: `[...V8_HEAP_FLAGS, CLI_PATH, ...args]`. */
export function cliNodeArgs(args: readonly string[], cliPath: string = CLI_PATH): string[] {
  return [...V8_HEAP_FLAGS, cliPath, ...args];
}
