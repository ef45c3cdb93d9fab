import type { Tensor } from '@tensorflow/tfjs-core';
import { UserError } from '../cli/errors.js';
import { BATCH_DIM } from '../remote/model-metadata.js';
import type { BackendDescription } from '../results/types.js';
import { type LoadedTfjsModel, loadTfjsModel } from '../tfjs/load-model.js';
import type { TfjsCore } from '../tfjs/runtime-loaders.js';
import { loadTfjsRuntime, TFJS_BACKEND_NAMES, type TfjsRuntime } from '../tfjs/runtimes.js';
import type { BatchOutputs, InferenceBackend, InputSpec, SampleFeeds, SampleTensor, TensorData } from './types.js';

export interface TfjsOptions {
  /** A TF.js model.json, graph or layers format. */
  readonly modelPath: string;
  readonly runtime: TfjsRuntime | 'auto';
  /** 0 = the runtime's default. */
  readonly threads: number;
}

type FeedArray = Float32Array | Int32Array;

/** Sample data of another integer type (int64 token ids from an ONNX workload) is converted to what the model takes. */
function copyInto(target: FeedArray, source: TensorData, offset: number): void {
  if (source instanceof BigInt64Array || source instanceof BigUint64Array) {
    for (let i = 0; i < source.length; i++) target[offset + i] = Number(source[i]!);
  } else {
    target.set(source, offset);
  }
}

/** A model.json run on a TF.js runtime. Create with `TfjsBackend.create`. */
export class TfjsBackend implements InferenceBackend {
  readonly description: BackendDescription;
  readonly inputs: readonly InputSpec[];
  readonly outputs: readonly InputSpec[];
  readonly dynamicBatch: boolean;
  /** Why this runtime (and not a better one), and where what ran differs from what was asked. */
  readonly notes: readonly string[];
  readonly #tf: TfjsCore;
  readonly #backendName: string;
  readonly #model: LoadedTfjsModel;

  private constructor(fields: {
    tf: TfjsCore;
    backendName: string;
    model: LoadedTfjsModel;
    outputs: readonly InputSpec[];
    dynamicBatch: boolean;
    description: BackendDescription;
    notes: readonly string[];
  }) {
    this.#tf = fields.tf;
    this.#backendName = fields.backendName;
    this.#model = fields.model;
    this.inputs = fields.model.inputs;
    this.outputs = fields.outputs;
    this.dynamicBatch = fields.dynamicBatch;
    this.description = fields.description;
    this.notes = fields.notes;
  }

  /** coldStartNs covers starting the runtime, loading the model and the first run (which compiles kernels). */
  static async create(options: TfjsOptions): Promise<TfjsBackend> {
    const started = process.hrtime.bigint();
    const runtime = await loadTfjsRuntime(options.runtime, options.threads);
    const model = await loadTfjsModel(options.modelPath);
    const dynamicBatch = model.inputs.every((i) => i.declaredShape.length > 0 && typeof i.declaredShape[0] !== 'number');
    for (const input of model.inputs) {
      if (input.type !== 'float32' && input.type !== 'int32') {
        model.dispose();
        throw new UserError('model', `${options.modelPath}: input '${input.name}' is ${input.type}; mlbench feeds TF.js float32 and int32 inputs`);
      }
    }
    const outputs = firstRun(runtime.tf, model, options.modelPath, dynamicBatch);
    const coldStartNs = Number(process.hrtime.bigint() - started);
    return new TfjsBackend({
      tf: runtime.tf,
      backendName: TFJS_BACKEND_NAMES[runtime.runtime],
      model,
      outputs,
      dynamicBatch,
      description: {
        name: 'tfjs',
        versions: { ...runtime.versions, ...model.versions },
        settings: { runtime: runtime.runtime, threads: runtime.threads, modelFormat: model.format },
        coldStartNs,
      },
      notes: runtime.notes,
    });
  }

  async infer(samples: readonly SampleFeeds[]): Promise<BatchOutputs> {
    const tf = this.#tf;
    // TF.js has one active backend per process; another TfjsBackend may have switched it.
    if (tf.getBackend() !== this.#backendName) await tf.setBackend(this.#backendName);
    const feeds = this.inputs.map((input) => this.#feed(input, samples));
    try {
      const results = tf.tidy(() => this.#model.run(feeds));
      try {
        const outputs: Record<string, { data: TensorData; dims: readonly number[] }> = {};
        for (let i = 0; i < results.length; i++) {
          const tensor = results[i]!;
          outputs[this.outputs[i]!.name] = { data: (await tensor.data()) as TensorData, dims: tensor.shape };
        }
        return outputs;
      } finally {
        for (const tensor of results) tensor.dispose();
      }
    } finally {
      for (const tensor of feeds) tensor.dispose();
    }
  }

  async dispose(): Promise<void> {
    this.#model.dispose();
  }

  /** One input's batch tensor, shaped like OrtBackend's: [n, ...sample dims], or the sample's own dims for one sample of a fixed-batch model. */
  #feed(input: InputSpec, samples: readonly SampleFeeds[]): Tensor {
    const tensors = samples.map((s): SampleTensor => {
      const t = s[input.name];
      if (!t) throw new Error(`a sample has no tensor for input '${input.name}'`);
      return t;
    });
    const first = tensors[0]!;
    const single = tensors.length === 1;
    const dims = single && !this.dynamicBatch ? [...first.dims] : [tensors.length, ...first.dims];
    const Ctor = input.type === 'int32' ? Int32Array : Float32Array;
    if (single && first.data instanceof Ctor) return this.#tf.tensor(first.data, dims, input.type as 'float32');
    const per = first.data.length;
    const data = new Ctor(per * tensors.length);
    tensors.forEach((t, i) => {
      copyInto(data, t.data, i * per);
    });
    return this.#tf.tensor(data, dims, input.type as 'float32');
  }
}

/**
 * Runs a batch of one on zeros: it compiles kernels before timing starts, finds
 * ops the runtime lacks (TF.js only reports them when they run), and gives the
 * outputs' types and shapes where the model does not declare them.
 */
function firstRun(tf: TfjsCore, model: LoadedTfjsModel, modelPath: string, dynamicBatch: boolean): InputSpec[] {
  const shapes = model.inputs.map((i) => i.declaredShape.map((d) => (typeof d === 'number' ? d : 1)));
  try {
    const observed = tf.tidy(() => {
      const feeds = model.inputs.map((input, i) => tf.zeros(shapes[i]!, input.type as 'float32'));
      return model.run(feeds).map((t) => ({ dtype: t.dtype as string, shape: t.shape }));
    });
    return model.outputs.map((declared, i) => {
      const seen = observed[i];
      if (!seen || declared.declaredShape.length > 0) return declared;
      const declaredShape = seen.shape.map((d, axis) => (axis === 0 && dynamicBatch ? BATCH_DIM : d));
      return { name: declared.name, type: declared.type === 'unknown' ? seen.dtype : declared.type, declaredShape };
    });
  } catch (error) {
    model.dispose();
    const reason = error instanceof Error ? error.message : String(error);
    const fed = model.inputs.map((input, i) => `${input.name} [${shapes[i]!.join(', ')}]`).join(', ');
    throw new UserError('model', `${modelPath}: TF.js could not run this model on zeros (${fed}): ${reason}`);
  }
}
