/**
 * One mistake in something the user wrote: a config file, a result file or a flag. Collected
 * and reported together (all at once), never thrown one at a time.
 */
export interface ConfigProblem {
  /** File path, or 'flag --x' for a command-line flag. */
  readonly source: string;
  /** JSON path of the offending value, e.g. `$.settings.minDurationMs`; `$` for the whole. */
  readonly path: string;
  /** Plain words: what was expected, what was found. */
  readonly message: string;
}

/** One line per problem: `source: $.path: message`. */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${p.source}: ${p.path}: ${p.message}`).join('\n');
}
