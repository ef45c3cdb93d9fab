import { EXIT } from '../cli/errors.js';
import type { RunResult } from '../results/types.js';
import type { ChildOutcome } from './runner.js';

/** What one step came to, by the child's exit code (README: Exit codes). */
export type StepOutcome =
  /** 0 VALID or 3 INVALID: the run completed and printed its result.json. */
  | { readonly kind: 'ran'; readonly result: RunResult }
  /** 2: bad input, nothing ran: this runtime, precision or setting is not available here. */
  | { readonly kind: 'unsupported'; readonly reason: string }
  /** 4 run failed, 1 internal error, a crash, or anything unexpected. */
  | { readonly kind: 'failed'; readonly reason: string }
  /** The profile itself was interrupted while the child ran, and the child did not complete. */
  | { readonly kind: 'aborted' };

const PREFIX = 'mlbench: ';

/**
 * The child's own words for why it stopped: from its last `mlbench: ` line to the end (a
 * message may span lines), the stack of an internal error left out.
 */
export function reasonFromStderr(stderr: string): string | null {
  const lines = stderr.split('\n');
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.startsWith(PREFIX)) {
      start = i;
      break;
    }
  }
  if (start < 0) {
    const last = lines.map((l) => l.trim()).filter((l) => l !== '');
    return last.length === 0 ? null : last[last.length - 1]!;
  }
  const first = lines[start]!.slice(PREFIX.length);
  if (first.startsWith('internal error:')) return first.trim();
  return [first, ...lines.slice(start + 1)].join('\n').trim();
}

function parseResult(stdout: string): RunResult | null {
  try {
    const doc = JSON.parse(stdout) as unknown;
    return typeof doc === 'object' && doc !== null && 'runId' in doc ? (doc as RunResult) : null;
  } catch {
    return null;
  }
}

/** Classifies a finished child. `aborted`: the profile was interrupted while it ran. */
export function classifyOutcome(outcome: ChildOutcome, aborted: boolean): StepOutcome {
  const { exitCode } = outcome;
  const why = (fallback: string): string => reasonFromStderr(outcome.stderr) ?? fallback;
  // Interrupted, a child that did not finish was stopped by us (or by SIGINT before it could catch it).
  if (aborted && exitCode !== EXIT.ok && exitCode !== EXIT.invalid) return { kind: 'aborted' };
  if (exitCode === null) return { kind: 'failed', reason: `crashed: ended by ${outcome.signal ?? 'a signal'}${tail(why(''))}` };
  if (exitCode === EXIT.badInput) return { kind: 'unsupported', reason: why('exit code 2 (bad input) with no message') };
  if (exitCode === EXIT.ok || exitCode === EXIT.invalid) {
    const result = parseResult(outcome.stdout);
    if (result === null) return { kind: 'failed', reason: `exit code ${exitCode} but no result.json on stdout${tail(why(''))}` };
    return { kind: 'ran', result };
  }
  if (exitCode === EXIT.runFailed) {
    const result = parseResult(outcome.stdout);
    return { kind: 'failed', reason: `run failed: ${result?.statusReason ?? why('no sample completed')}` };
  }
  if (exitCode === EXIT.aborted) return { kind: 'failed', reason: 'the run was interrupted (exit code 130)' };
  return { kind: 'failed', reason: `exit code ${exitCode}: ${why('no message')}` };
}

const tail = (text: string): string => (text === '' ? '' : `: ${text}`);
