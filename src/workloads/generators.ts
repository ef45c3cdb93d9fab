import type { TensorData } from '../backends/types.js';
import { UserError } from '../cli/errors.js';
import type { ResolvedInput } from './input-shapes.js';
import { makeShapesSample, SHAPES_IMAGE_SHAPE, shapesLabel } from './shapes/dataset.js';
import { makeTokensSample, TOKENS_SEQUENCE_LENGTH, tokensLabel } from './tokens/dataset.js';
import type { DatasetGenerator } from './types.js';

type Split = 'train' | 'eval';

/** A built-in labelled dataset: one input tensor and a label per (seed, split, index). */
interface GeneratedDataset {
  /** What the model must take, in words, for the error when it does not. */
  readonly wants: string;
  readonly accepts: (input: ResolvedInput) => boolean;
  readonly tensor: (seed: number, split: Split, index: number, input: ResolvedInput) => TensorData;
  readonly label: (seed: number, split: Split, index: number) => number;
}

export const GENERATED_DATASETS = {
  shapes: {
    wants: `one float32 input of ${SHAPES_IMAGE_SHAPE.join('x')} per sample`,
    accepts: (input) => input.type === 'float32' && input.sampleDims.join('x') === SHAPES_IMAGE_SHAPE.join('x'),
    tensor: (seed, split, index) => makeShapesSample(seed, split, index).pixels,
    label: shapesLabel,
  },
  tokens: {
    wants: `one int32 or int64 input of ${TOKENS_SEQUENCE_LENGTH} token ids per sample`,
    accepts: (input) => (input.type === 'int32' || input.type === 'int64') && input.sampleDims.join('x') === String(TOKENS_SEQUENCE_LENGTH),
    tensor: (seed, split, index, input) => {
      const { ids } = makeTokensSample(seed, split, index);
      // Exported transformers usually take int64 ids; the built-in one takes int32.
      return input.type === 'int64' ? BigInt64Array.from(ids, (id) => BigInt(id)) : ids;
    },
    label: tokensLabel,
  },
} as const satisfies Record<DatasetGenerator, GeneratedDataset>;

/** Fails before any sample is made when the model cannot take the generator's samples. */
export function assertGeneratorFits(generator: DatasetGenerator, inputs: readonly ResolvedInput[]): void {
  const dataset = GENERATED_DATASETS[generator];
  const only = inputs[0];
  if (inputs.length === 1 && only !== undefined && dataset.accepts(only)) return;
  const got = inputs.map((i) => `${i.name} ${i.type}[${i.sampleDims.join('x')}]`).join(', ');
  throw new UserError('workload', `the '${generator}' dataset feeds ${dataset.wants}; this model takes ${got}`);
}
