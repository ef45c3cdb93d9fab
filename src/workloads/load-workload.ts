import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../cli/errors.js';
import { formatProblems } from '../results/config-problem.js';
import { validateDocument } from '../results/validate.js';
import { BUILTIN_WORKLOADS_DIR } from './paths.js';
import { type PrecisionVariant, REFERENCE_PRECISION, type WorkloadDefinition, type WorkloadFile } from './types.js';

/** Reads a JSON file a user may have got wrong; every problem becomes a UserError naming it. */
export function readJsonFile(path: string, what: string): unknown {
  if (!existsSync(path)) throw new UserError('config', `${path}: ${what} not found`);
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError('config', `${path}: not valid JSON (${(error as Error).message})`);
  }
}

/**
 * `--workload NAME` finds workloads/NAME/workload.json in the package; anything with a slash
 * or ending in .json is a path to a workload file.
 */
export function resolveWorkloadPath(nameOrPath: string): string {
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.json')) return resolve(nameOrPath);
  const builtin = join(BUILTIN_WORKLOADS_DIR, nameOrPath, 'workload.json');
  if (!existsSync(builtin)) {
    throw new UserError('flag', `--workload ${nameOrPath}: no built-in workload of that name (looked for ${builtin})`);
  }
  return builtin;
}

export function loadWorkloadFile(path: string): WorkloadDefinition {
  const data = readJsonFile(path, 'workload file');
  const problems = validateDocument('workload', data, path);
  if (problems.length > 0) throw new UserError('config', `invalid workload file:\n${formatProblems(problems)}`);
  const file = data as WorkloadFile;
  const at = (relative: string): string => resolve(dirname(path), relative);
  const variants: Record<string, PrecisionVariant> = {
    [REFERENCE_PRECISION]: { onnxPath: at(file.model.path), tfjsPath: file.model.tfjs !== undefined ? at(file.model.tfjs) : null, calibration: null },
  };
  for (const [name, entry] of Object.entries(file.precisions ?? {})) {
    if (name === REFERENCE_PRECISION) throw new UserError('config', `${path}: $.precisions.${name}: the fp32 model is $.model; list only the other precisions here`);
    variants[name] =
      typeof entry === 'string'
        ? { onnxPath: at(entry), tfjsPath: null, calibration: null }
        : { onnxPath: at(entry.path), tfjsPath: entry.tfjs !== undefined ? at(entry.tfjs) : null, calibration: entry.calibration ?? null };
  }
  const reference = variants[REFERENCE_PRECISION]!;
  return {
    name: file.name,
    source: path,
    modelPath: reference.onnxPath,
    tfjsModelPath: reference.tfjsPath,
    precision: REFERENCE_PRECISION,
    calibration: null,
    variants,
    dataset: file.dataset,
    performanceSampleCount: file.performanceSampleCount,
    accuracy: file.accuracy ?? null,
    defaults: file.defaults ?? {},
  };
}

/** `--precision NAME`: the workload with that variant's model files. */
export function selectPrecision(workload: WorkloadDefinition, precision: string): WorkloadDefinition {
  if (workload.precision === null) {
    if (precision === REFERENCE_PRECISION) return workload;
    throw new UserError('flag', `--precision ${precision}: ${workload.source} is a bare model with no precision variants (name them in a workload file's "precisions")`);
  }
  const variant = workload.variants[precision];
  if (variant === undefined) {
    const offered = Object.keys(workload.variants).join(', ');
    throw new UserError('workload', `--precision ${precision}: workload ${workload.name} has no ${precision} variant (it offers: ${offered}; see ${workload.source})`);
  }
  return { ...workload, modelPath: variant.onnxPath, tfjsModelPath: variant.tfjsPath, precision, calibration: variant.calibration };
}

/** Backends that run the model call this first: a clear message beats a runtime's. */
export function assertModelExists(workload: WorkloadDefinition): void {
  if (existsSync(workload.modelPath)) return;
  const where = workload.source.startsWith('--model') ? workload.source : `${workload.source}: $.model.path`;
  throw new UserError('model', `${where}: model file ${workload.modelPath} not found`);
}

/** A bare model: inputs generated from its declared types and shapes, no accuracy. */
export function workloadForModel(modelPath: string, sampleCount: number): WorkloadDefinition {
  const path = resolve(modelPath);
  if (!existsSync(path)) throw new UserError('model', `--model ${modelPath}: file not found`);
  return {
    name: basename(path).replace(/\.(onnx|json)$/i, ''),
    source: `--model ${modelPath}`,
    modelPath: path,
    tfjsModelPath: /\.json$/i.test(path) ? path : null,
    precision: null,
    calibration: null,
    variants: {},
    dataset: { kind: 'random', seed: 0, sampleCount },
    performanceSampleCount: sampleCount,
    accuracy: null,
    defaults: {},
  };
}
