import { resolve } from 'node:path';
import { UserError } from '../../cli/errors.js';
import type { LengthDistribution, PromptSetSpec } from './types.js';

/** What command-line flags may change in a workload's prompt set; anything left out keeps the workload's value. */
export interface PromptSetOverrides {
  readonly seed?: number;
  readonly count?: number;
  readonly input?: LengthDistribution;
  readonly output?: LengthDistribution;
  /** A length file path, relative to the working directory. */
  readonly lengthFile?: string;
  readonly sharedPrefixTokens?: number;
  readonly turns?: number;
}

/**
 * The spec with the flags' values. A length file and input/output lengths exclude each other:
 * lengths given replace the workload's length file, a length file given replaces its lengths.
 * When the workload takes its lengths from a file, input and output come together (a file
 * gives no distribution for the other one). Check the result with assertValidSpec.
 */
export function overrideSpec(spec: PromptSetSpec, overrides: PromptSetOverrides): PromptSetSpec {
  const { input, output, lengthFile, ...rest } = overrides;
  const givesLengths = input !== undefined || output !== undefined;
  if (lengthFile !== undefined && givesLengths) {
    throw new UserError('flag', 'a length file replaces the input and output lengths: give one or the other, not both');
  }
  if (lengthFile !== undefined) return { ...spec, ...rest, lengthFile: resolve(lengthFile) };
  if (!givesLengths) return { ...spec, ...rest };
  if (spec.lengthFile !== null && (input === undefined || output === undefined)) {
    throw new UserError(
      'flag',
      `prompt set ${spec.name} takes its lengths from ${spec.lengthFile}: give both the input and the output length to replace it, or another length file`,
    );
  }
  return { ...spec, ...rest, input: input ?? spec.input, output: output ?? spec.output, lengthFile: null };
}
