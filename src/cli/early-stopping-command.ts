import {
  formatMaxOverLatencyPlan,
  formatMinQueriesPlan,
  planMaxOverLatency,
  planMinQueries,
} from '../analysis/early-stopping-plan.js';
import { EXIT, UserError } from './errors.js';

export interface EarlyStoppingFlags {
  readonly percentile: number;
  readonly overlatency?: number | undefined;
  readonly queries?: number | undefined;
  readonly confidence: number;
  readonly json: boolean;
}

/** `mlbench early-stopping`: exactly one of --overlatency or --queries. */
export function earlyStoppingCommand(flags: EarlyStoppingFlags): number {
  const { percentile, overlatency, queries, confidence } = flags;
  if (!(percentile > 0 && percentile < 100)) throw new UserError('flag', `--percentile ${percentile}: expected a percent between 0 and 100, e.g. 99`);
  if ((overlatency === undefined) === (queries === undefined)) {
    throw new UserError('flag', 'give exactly one of --overlatency T (minimum queries for T over the bound) or --queries N (how many may be over)');
  }
  const wholeNumber = (name: string, v: number): void => {
    if (!(Number.isInteger(v) && v >= 0)) throw new UserError('flag', `--${name} ${v}: expected a whole number >= 0`);
  };
  if (overlatency !== undefined) {
    wholeNumber('overlatency', overlatency);
    const plan = planMinQueries({ percentile, overLatency: overlatency, confidence });
    process.stdout.write(flags.json ? `${JSON.stringify(plan)}\n` : `${formatMinQueriesPlan(plan)}\n`);
  } else {
    wholeNumber('queries', queries!);
    const plan = planMaxOverLatency({ percentile, queries: queries!, confidence });
    process.stdout.write(flags.json ? `${JSON.stringify(plan)}\n` : `${formatMaxOverLatencyPlan(plan)}\n`);
  }
  return EXIT.ok;
}
