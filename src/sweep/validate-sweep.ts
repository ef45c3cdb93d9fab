import type { ConfigProblem } from '../results/config-problem.js';
import { validateDocument } from '../results/validate.js';

/** Checks a sweep.json document against schemas/sweep.schema.json; every problem at once. */
export function validateSweep(data: unknown, source: string): ConfigProblem[] {
  return validateDocument('sweep', data, source);
}
