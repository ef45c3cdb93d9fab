import type { InputSpec } from '../backends/types.js';
import { UserError } from '../cli/errors.js';
import { isV2Datatype, ortTypeOf } from '../kserve/datatypes.js';

/** What a client needs to know of the served model, from its v2 metadata. */
export interface RemoteModel {
  readonly name: string;
  readonly platform: string;
  readonly inputs: readonly InputSpec[];
  readonly outputs: readonly string[];
  /** Every input's first dimension is -1: the client stacks samples into one request. */
  readonly dynamicBatch: boolean;
}

/** How symbolic (-1) dimensions are named in InputSpec: the batch, or any other variable size. */
export const BATCH_DIM = 'batch';
export const DYNAMIC_DIM = 'dynamic';

/**
 * Checks `/v2/models/NAME` (or ModelMetadata) and turns it into InputSpecs. A server that
 * declares something mlbench cannot send (BYTES, no inputs) is reported before the run.
 */
export function remoteModelFromMetadata(metadata: unknown, where: string): RemoteModel {
  if (!isObject(metadata)) throw bad(where, 'the model metadata is not an object');
  const name = typeof metadata['name'] === 'string' ? metadata['name'] : '';
  const inputs = tensorList(metadata['inputs'], 'inputs', where);
  const outputs = tensorList(metadata['outputs'], 'outputs', where);
  if (inputs.length === 0) throw bad(where, 'the model declares no inputs');
  const specs = inputs.map((t) => {
    if (!isV2Datatype(t.datatype)) {
      throw new UserError('server', `${where}: input '${t.name}' has datatype ${t.datatype}, which mlbench cannot send (BYTES is not supported)`);
    }
    return { name: t.name, type: ortTypeOf(t.datatype), shape: t.shape };
  });
  const dynamicBatch = specs.every((s) => s.shape.length > 0 && s.shape[0] === -1);
  return {
    name,
    platform: typeof metadata['platform'] === 'string' ? metadata['platform'] : '',
    inputs: specs.map(
      (s): InputSpec => ({
        name: s.name,
        type: s.type,
        declaredShape: s.shape.map((d, i) => (d >= 0 ? d : i === 0 && dynamicBatch ? BATCH_DIM : DYNAMIC_DIM)),
      }),
    ),
    outputs: outputs.map((t) => t.name),
    dynamicBatch,
  };
}

interface TensorEntry {
  readonly name: string;
  readonly datatype: string;
  readonly shape: readonly number[];
}

function tensorList(value: unknown, field: string, where: string): TensorEntry[] {
  if (!Array.isArray(value)) throw bad(where, `'${field}' is not an array`);
  return value.map((t, i) => {
    if (!isObject(t) || typeof t['name'] !== 'string' || typeof t['datatype'] !== 'string') {
      throw bad(where, `${field}[${i}] lacks a name or datatype`);
    }
    const shape = t['shape'];
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(Number(d)) && Number(d) >= -1)) {
      throw bad(where, `${field} '${t['name']}' has no valid shape`);
    }
    return { name: t['name'], datatype: t['datatype'], shape: shape.map(Number) };
  });
}

/** The model to use: the one asked for, else the server's only (ready) model. */
export function chooseModel(entries: readonly { name: string; state: string }[], url: string): string {
  // Triton lists unavailable models too (state UNAVAILABLE); an empty state means the server does not say.
  const usable = [...new Set(entries.filter((e) => e.state === '' || e.state.toUpperCase() === 'READY').map((e) => e.name))];
  if (usable.length === 1) return usable[0]!;
  if (usable.length > 1) {
    throw new UserError('server', `${url} serves ${usable.length} models: ${usable.join(', ')}; pass --model NAME to choose one`);
  }
  const listed = [...new Set(entries.map((e) => e.name))];
  if (listed.length > 0) throw new UserError('server', `${url} lists no ready model (found: ${listed.join(', ')}); pass --model NAME once one is ready`);
  throw new UserError('server', `${url} serves no model`);
}

function bad(where: string, what: string): UserError {
  return new UserError('server', `${where}: ${what}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
