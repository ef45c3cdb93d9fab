import type { SampleFeeds, TensorData } from '../backends/types.js';
import { UserError } from '../cli/errors.js';
import { Mt19937 } from '../loadgen/rng.js';
import type { QuerySampleLibrary } from '../loadgen/types.js';
import { assertGeneratorFits, GENERATED_DATASETS } from './generators.js';
import type { ResolvedInput } from './input-shapes.js';
import type { DatasetSpec } from './types.js';

/**
 * The workload's samples: generated on load (untimed), kept until unloaded. Both datasets are
 * functions of (seed, index), so any subset loads without generating the rest.
 */
export class SampleLibrary implements QuerySampleLibrary {
  readonly name: string;
  readonly totalSampleCount: number;
  readonly performanceSampleCount: number;
  readonly #dataset: DatasetSpec;
  readonly #inputs: readonly ResolvedInput[];
  readonly #loaded = new Map<number, SampleFeeds>();

  constructor(name: string, dataset: DatasetSpec, performanceSampleCount: number, inputs: readonly ResolvedInput[]) {
    this.name = name;
    this.totalSampleCount = dataset.sampleCount;
    this.performanceSampleCount = Math.min(performanceSampleCount, dataset.sampleCount);
    this.#dataset = dataset;
    this.#inputs = inputs;
    if (dataset.kind === 'generated') assertGeneratorFits(dataset.generator, inputs);
  }

  async loadSamples(indices: readonly number[]): Promise<void> {
    for (const index of indices) if (!this.#loaded.has(index)) this.#loaded.set(index, this.#make(index));
  }

  async unloadSamples(indices: readonly number[]): Promise<void> {
    for (const index of indices) this.#loaded.delete(index);
  }

  /** A loaded sample's tensors. Asking for one not loaded is a harness bug: throw. */
  feeds(index: number): SampleFeeds {
    const feeds = this.#loaded.get(index);
    if (feeds === undefined) throw new Error(`sample ${index} of ${this.name} was not loaded`);
    return feeds;
  }

  /** The ground-truth label, where the dataset has one. */
  label(index: number): number | null {
    const d = this.#dataset;
    return d.kind === 'generated' ? GENERATED_DATASETS[d.generator].label(d.seed, d.split, index) : null;
  }

  #make(index: number): SampleFeeds {
    const d = this.#dataset;
    if (d.kind === 'generated') {
      const input = this.#inputs[0]!;
      return { [input.name]: { data: GENERATED_DATASETS[d.generator].tensor(d.seed, d.split, index, input), dims: input.sampleDims } };
    }
    const feeds: Record<string, { data: TensorData; dims: readonly number[] }> = {};
    this.#inputs.forEach((input, k) => {
      feeds[input.name] = { data: randomTensor(input, `${d.seed * 1000003 + index * 31 + k}`), dims: input.sampleDims };
    });
    return feeds;
  }
}

/** Uniform random inputs by type: floats in [0,1), integers in [0,100) (valid token ids for most vocabularies), bools 0/1. */
function randomTensor(input: ResolvedInput, seed: string): TensorData {
  const n = input.sampleDims.reduce((a, b) => a * b, 1);
  const rng = new Mt19937(seed);
  switch (input.type) {
    case 'float32':
    case 'float64': {
      const data = input.type === 'float32' ? new Float32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) data[i] = rng.nextU32() / 4294967296;
      return data;
    }
    case 'int64': {
      const data = new BigInt64Array(n);
      for (let i = 0; i < n; i++) data[i] = BigInt(rng.nextU32() % 100);
      return data;
    }
    case 'int32': {
      const data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = rng.nextU32() % 100;
      return data;
    }
    case 'bool':
    case 'uint8': {
      const data = new Uint8Array(n);
      for (let i = 0; i < n; i++) data[i] = rng.nextU32() & 1;
      return data;
    }
    case 'int8': {
      const data = new Int8Array(n);
      for (let i = 0; i < n; i++) data[i] = (rng.nextU32() % 256) - 128;
      return data;
    }
    default:
      throw new UserError('model', `input '${input.name}' has type ${input.type}, which mlbench cannot generate yet (float32, float64, int64, int32, int8, uint8, bool are supported)`);
  }
}
