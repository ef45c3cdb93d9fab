import type { ConfigProblem } from '../results/config-problem.js';
import { validateDocument } from '../results/validate.js';

/** Checks a profile.json document against schemas/profile.schema.json; every problem at once. */
export function validateProfile(data: unknown, source: string): ConfigProblem[] {
  return validateDocument('profile', data, source);
}
