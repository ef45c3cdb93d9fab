import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { problemsFromAjvErrors } from '../../results/ajv-problems.js';
import type { ConfigProblem } from '../../results/config-problem.js';
import { SCHEMAS_DIR } from '../../results/validate.js';

let validator: ValidateFunction | undefined;

/** Compiled once, on first use, with the options src/results/validate.ts uses for the other files. */
function compiled(): ValidateFunction {
  if (validator !== undefined) return validator;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, discriminator: true, verbose: true });
  for (const name of ['settings', 'llm-workload']) {
    ajv.addSchema(JSON.parse(readFileSync(new URL(`${name}.schema.json`, SCHEMAS_DIR), 'utf8')) as object);
  }
  const validate = ajv.getSchema('https://mlbench.dev/schemas/llm-workload.schema.json');
  if (validate === undefined) throw new Error('schemas/llm-workload.schema.json has no $id https://mlbench.dev/schemas/llm-workload.schema.json');
  validator = validate;
  return validator;
}

/** Every problem of an LLM workload file against schemas/llm-workload.schema.json (none = valid). */
export function validateLlmWorkload(data: unknown, source: string): ConfigProblem[] {
  const validate = compiled();
  if (validate(data)) return [];
  return problemsFromAjvErrors(validate.errors ?? [], source);
}
