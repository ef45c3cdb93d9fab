import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { problemsFromAjvErrors } from '../results/ajv-problems.js';
import type { ConfigProblem } from '../results/config-problem.js';
import { SCHEMAS_DIR } from '../results/validate.js';

let validator: ValidateFunction | undefined;

/** Compiled once, on first use, from schemas/sweep.schema.json (its own Ajv: it refs nothing). */
function compiled(): ValidateFunction {
  if (validator !== undefined) return validator;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  addFormatsModule.default(ajv);
  validator = ajv.compile(JSON.parse(readFileSync(new URL('sweep.schema.json', SCHEMAS_DIR), 'utf8')) as object);
  return validator;
}

/** Checks a sweep.json document; returns every problem at once (none = valid). */
export function validateSweep(data: unknown, source: string): ConfigProblem[] {
  const validate = compiled();
  if (validate(data)) return [];
  return problemsFromAjvErrors(validate.errors ?? [], source);
}
