import type { InputSpec } from '../backends/types.js';
import { UserError } from '../cli/errors.js';

/** A model input with every dimension fixed: `sampleDims` excludes the batch dimension. */
export interface ResolvedInput {
  readonly name: string;
  readonly type: string;
  readonly declaredShape: readonly (number | string)[];
  readonly sampleDims: readonly number[];
  /** The shape of a batch of one, as fed to the model. */
  readonly shape: readonly number[];
}

const NAMED_DEFAULTS: readonly [RegExp, number][] = [
  [/^(h|height|w|width|img_?size|image_?size)$/i, 224],
  [/(seq|sequence|len|length|tokens?)/i, 128],
];

/** Parses `--shape name=1x3x224x224` (repeatable). */
export function parseShapeFlags(values: readonly string[]): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  for (const value of values) {
    const match = /^([^=]+)=(\d+(?:x\d+)*)$/.exec(value.trim());
    if (!match) throw new UserError('flag', `--shape ${value}: expected NAME=DxDxD, e.g. --shape input=1x3x224x224`);
    shapes.set(match[1]!, match[2]!.split('x').map(Number));
  }
  return shapes;
}

/**
 * Fixes every dimension of every input. The first dimension of a model with a dynamic batch
 * is the batch dimension (the harness sets it per call); other symbolic dimensions come from
 * --shape, or a default by name (224 for image sides, 128 for sequences, else 1), and each
 * assumption is returned so the run can say what it assumed.
 */
export function resolveInputShapes(
  inputs: readonly InputSpec[],
  dynamicBatch: boolean,
  shapeFlags: Map<string, number[]>,
): { inputs: ResolvedInput[]; assumptions: string[] } {
  const assumptions: string[] = [];
  for (const name of shapeFlags.keys()) {
    if (!inputs.some((i) => i.name === name)) {
      throw new UserError('flag', `--shape ${name}=...: the model has no input named '${name}' (it has: ${inputs.map((i) => i.name).join(', ')})`);
    }
  }
  const resolved = inputs.map((input) => {
    const given = shapeFlags.get(input.name);
    const declared = input.declaredShape;
    if (given) {
      if (given.length !== declared.length) {
        throw new UserError('flag', `--shape ${input.name}=${given.join('x')}: the model declares ${declared.length} dimensions [${declared.join(', ')}]`);
      }
      declared.forEach((d, i) => {
        if (typeof d === 'number' && d > 0 && d !== given[i]) {
          throw new UserError('flag', `--shape ${input.name}: dimension ${i} is fixed at ${d} by the model, got ${given[i]}`);
        }
      });
    }
    const shape = declared.map((d, i) => {
      if (typeof d === 'number' && d > 0) return d;
      if (i === 0 && dynamicBatch) return 1;
      if (given) return given[i]!;
      const label = typeof d === 'string' && d !== '' ? d : `#${i}`;
      const byName = NAMED_DEFAULTS.find(([pattern]) => pattern.test(label))?.[1] ?? 1;
      assumptions.push(`input '${input.name}' dimension ${i} ('${label}') assumed ${byName}; set it with --shape ${input.name}=...`);
      return byName;
    });
    return {
      name: input.name,
      type: input.type,
      declaredShape: declared,
      sampleDims: dynamicBatch ? shape.slice(1) : shape,
      shape,
    };
  });
  return { inputs: resolved, assumptions };
}
