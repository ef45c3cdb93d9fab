/**
 * Exit codes, documented in the README. Only src/cli maps errors to them and calls exit.
 */
export const EXIT = {
  /** The run completed and is VALID (or the command succeeded). */
  ok: 0,
  /** An unexpected internal error: a bug in mlbench. */
  internal: 1,
  /** Bad input: flags, scenario/workload files, model file, unknown backend. Nothing ran. */
  badInput: 2,
  /** The run completed but is INVALID: the summary says why and what to change. */
  invalid: 3,
  /** The run could not complete: the backend failed to start, or every query failed. */
  runFailed: 4,
  /** `mlbench compare`: a --fail-if gate tripped (a regression against the baseline). */
  gateFailed: 5,
  /** Interrupted (Ctrl-C / SIGTERM): what was measured is written, marked aborted. */
  aborted: 130,
} as const;

export type ErrorKind = 'flag' | 'config' | 'model' | 'workload' | 'backend' | 'server';

/**
 * A problem with what the user gave us. The message names the flag or file, what was found
 * and what to do; the CLI prints it without a stack trace and exits with EXIT.badInput.
 */
export class UserError extends Error {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = 'UserError';
    this.kind = kind;
  }
}
