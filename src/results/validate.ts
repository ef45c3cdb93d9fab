import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { problemsFromAjvErrors } from './ajv-problems.js';
import type { ConfigProblem } from './config-problem.js';

export type { ConfigProblem } from './config-problem.js';
export { formatProblems } from './config-problem.js';

export type SchemaName = 'result' | 'scenario' | 'workload' | 'sweep' | 'profile';

/** Every schema file; `settings` holds the definitions the others `$ref`. */
const SCHEMA_FILES = ['settings', 'result', 'scenario', 'workload', 'sweep', 'profile'] as const;
const SCHEMA_BASE = 'https://mlbench.dev/schemas/';

/** `schemas/` of the package: ../../schemas from both src/results/ and dist/results/. */
export const SCHEMAS_DIR = new URL('../../schemas/', import.meta.url);

let validators: Record<SchemaName, ValidateFunction> | undefined;

/** Compiled once, on first use: config validation is off the measurement path. */
function compiled(): Record<SchemaName, ValidateFunction> {
  if (validators !== undefined) return validators;
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    discriminator: true,
    // Errors carry their schema and data, so messages can list allowed names and found values.
    verbose: true,
  });
  // CommonJS module: under NodeNext its default import is module.exports, the plugin is .default.
  addFormatsModule.default(ajv);
  for (const name of SCHEMA_FILES) {
    ajv.addSchema(JSON.parse(readFileSync(new URL(`${name}.schema.json`, SCHEMAS_DIR), 'utf8')) as object);
  }
  const get = (name: SchemaName): ValidateFunction => {
    const validate = ajv.getSchema(`${SCHEMA_BASE}${name}.schema.json`);
    if (validate === undefined) throw new Error(`schema ${name}.schema.json has no $id ${SCHEMA_BASE}${name}.schema.json`);
    return validate;
  };
  validators = { result: get('result'), scenario: get('scenario'), workload: get('workload'), sweep: get('sweep'), profile: get('profile') };
  return validators;
}

/**
 * Checks `data` against one of the schemas and returns every problem at once (none = valid).
 * `source` names where the data came from (a file path) and prefixes each problem.
 */
export function validateDocument(schema: SchemaName, data: unknown, source: string): ConfigProblem[] {
  const validate = compiled()[schema];
  if (validate(data)) return [];
  return problemsFromAjvErrors(validate.errors ?? [], source);
}
