import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { UserError } from '../cli/errors.js';
import type { BackendDescription } from '../results/types.js';
import { BufferPool } from './buffer-pool.js';
import type { BatchOutputs, InferenceBackend, InputSpec, SampleFeeds, SampleTensor, TensorData } from './types.js';

export const ORT_PROVIDERS = ['cpu', 'cuda', 'tensorrt'] as const;
export type OrtProvider = (typeof ORT_PROVIDERS)[number];
export const GRAPH_OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;
export type GraphOptimizationLevel = (typeof GRAPH_OPTIMIZATION_LEVELS)[number];

export interface OrtOptions {
  readonly modelPath: string;
  readonly provider: OrtProvider;
  /** 0 = onnxruntime's default (one per physical core). */
  readonly intraOpThreads: number;
  readonly interOpThreads: number;
  readonly graphOptimization: GraphOptimizationLevel;
  readonly executionMode: 'sequential' | 'parallel';
  /**
   * Whether onnxruntime's pool threads spin between work items (its default) or sleep. Spinning
   * saves a wake-up per operator; it also burns CPU between runs, which `mlbench serve` needs
   * for its HTTP and gRPC work, so the server turns it off by default.
   */
  readonly spinning: boolean;
}

export const GPU_INSTALL_HINT =
  'the installed onnxruntime-node has no CUDA/TensorRT binaries (this project skips their download). ' +
  'On a machine with an NVIDIA GPU and CUDA 12, run: npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12 ' +
  '(see README, "GPU execution providers")';

const require = createRequire(import.meta.url);

/** onnxruntime-node, loaded on first use so that choosing another backend costs nothing. */
function loadOrt(): typeof Ort {
  return require('onnxruntime-node') as typeof Ort;
}

/** A session of onnxruntime-node. Create with `OrtBackend.create`. */
export class OrtBackend implements InferenceBackend {
  readonly description: BackendDescription;
  readonly inputs: readonly InputSpec[];
  /** The model's outputs as it declares them (read by `mlbench serve` for its metadata). */
  readonly outputs: readonly InputSpec[];
  readonly dynamicBatch: boolean;
  readonly #ort: typeof Ort;
  readonly #session: Ort.InferenceSession;
  /** Batch-1 tensors made once per sample, so a single-sample call allocates nothing. */
  readonly #single = new WeakMap<SampleFeeds, Record<string, Ort.Tensor>>();
  /** Buffers batches are stacked into, reused run after run. */
  readonly #staging = new BufferPool();

  private constructor(ort: typeof Ort, session: Ort.InferenceSession, options: OrtOptions, coldStartNs: number) {
    this.#ort = ort;
    this.#session = session;
    this.inputs = session.inputMetadata.map((m) => ({
      name: m.name,
      type: m.isTensor ? m.type : 'non-tensor',
      declaredShape: m.isTensor ? [...m.shape] : [],
    }));
    this.outputs = session.outputMetadata.map((m) => ({
      name: m.name,
      type: m.isTensor ? m.type : 'non-tensor',
      declaredShape: m.isTensor ? [...m.shape] : [],
    }));
    this.dynamicBatch = this.inputs.every((i) => i.declaredShape.length > 0 && typeof i.declaredShape[0] !== 'number');
    this.description = {
      name: 'ort',
      versions: { 'onnxruntime-node': ort.env.versions.node ?? 'unknown' },
      settings: {
        executionProvider: options.provider,
        intraOpThreads: options.intraOpThreads,
        interOpThreads: options.interOpThreads,
        graphOptimization: options.graphOptimization,
        executionMode: options.executionMode,
        spinning: options.spinning,
      },
      coldStartNs,
    };
  }

  static async create(options: OrtOptions): Promise<OrtBackend> {
    const ort = loadOrt();
    assertProviderAvailable(ort, options.provider);
    const sessionOptions: Ort.InferenceSession.SessionOptions = {
      executionProviders: [options.provider],
      graphOptimizationLevel: options.graphOptimization,
      executionMode: options.executionMode,
      ...(options.intraOpThreads > 0 ? { intraOpNumThreads: options.intraOpThreads } : {}),
      ...(options.interOpThreads > 0 ? { interOpNumThreads: options.interOpThreads } : {}),
      ...(options.spinning ? {} : { extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } }),
    };
    const started = process.hrtime.bigint();
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(options.modelPath, sessionOptions);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (options.provider !== 'cpu') {
        throw new UserError('backend', `--provider ${options.provider}: could not start it (${reason}); ${GPU_INSTALL_HINT}`);
      }
      throw new UserError('model', `${options.modelPath}: onnxruntime could not load this model: ${reason}`);
    }
    const coldStartNs = Number(process.hrtime.bigint() - started);
    return new OrtBackend(ort, session, options, coldStartNs);
  }

  infer(samples: readonly SampleFeeds[]): Promise<BatchOutputs> {
    if (samples.length === 1) return this.#session.run(this.#singleFeeds(samples[0]!)) as Promise<BatchOutputs>;
    const staged: Buffer[] = [];
    const run = this.#session.run(this.#batchFeeds(samples, staged)) as Promise<BatchOutputs>;
    if (staged.length > 0) {
      // Once the run settles onnxruntime has read its inputs (its outputs are arrays of their own).
      const giveBack = (): void => {
        for (const buffer of staged) this.#staging.give(buffer);
      };
      run.then(giveBack, giveBack);
    }
    return run;
  }

  /** Runs tensors that already carry their batch dimension (a batch stacked by the caller). */
  runBatch(feeds: Readonly<Record<string, SampleTensor>>): Promise<BatchOutputs> {
    const tensors: Record<string, Ort.Tensor> = {};
    for (const input of this.inputs) {
      const feed = feeds[input.name];
      if (feed === undefined) return Promise.reject(new Error(`no tensor for input '${input.name}'`));
      tensors[input.name] = new this.#ort.Tensor(input.type as 'float32', feed.data as Float32Array, [...feed.dims]);
    }
    return this.#session.run(tensors) as Promise<BatchOutputs>;
  }

  /** The session itself, for the overhead bench's bare `session.run` loop over the same session. */
  get session(): Ort.InferenceSession {
    return this.#session;
  }

  async dispose(): Promise<void> {
    await this.#session.release();
  }

  #singleFeeds(sample: SampleFeeds): Record<string, Ort.Tensor> {
    let feeds = this.#single.get(sample);
    if (feeds === undefined) {
      feeds = {};
      for (const input of this.inputs) {
        const t = sample[input.name]!;
        const dims = this.dynamicBatch ? [1, ...t.dims] : [...t.dims];
        feeds[input.name] = new this.#ort.Tensor(input.type as 'float32', t.data as Float32Array, dims);
      }
      this.#single.set(sample, feeds);
    }
    return feeds;
  }

  /** `staged`: the pooled buffers it stacked rows into, to give back after the run. */
  #batchFeeds(samples: readonly SampleFeeds[], staged: Buffer[]): Record<string, Ort.Tensor> {
    const feeds: Record<string, Ort.Tensor> = {};
    for (const input of this.inputs) {
      const dims = tensorOf(samples, 0, input.name).dims;
      const data = this.#stackRows(samples, input.name, staged);
      feeds[input.name] = new this.#ort.Tensor(input.type as 'float32', data as Float32Array, [samples.length, ...dims]);
    }
    return feeds;
  }

  /** The samples' rows of one input copied, in order, into a pooled buffer (added to `staged`). */
  #stackRows(samples: readonly SampleFeeds[], name: string, staged: Buffer[]): TensorData {
    const rows = samples.map((_, i) => tensorOf(samples, i, name).data);
    const buffer = this.#staging.stack(rows);
    staged.push(buffer);
    const first = rows[0]!;
    const Ctor = first.constructor as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TensorData;
    return new Ctor(buffer.buffer, buffer.byteOffset, first.length * rows.length);
  }
}

function tensorOf(samples: readonly SampleFeeds[], i: number, name: string): SampleTensor {
  const tensor = samples[i]?.[name];
  if (tensor === undefined) throw new Error(`sample ${i} of the batch has no input '${name}'`);
  return tensor;
}

/** Fails before any work when the provider is not in this build of onnxruntime-node. */
function assertProviderAvailable(ort: typeof Ort, provider: OrtProvider): void {
  const supported = ort.listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }];
  if (!supported.some((b) => b.name === provider)) {
    const names = supported.map((b) => b.name).join(', ');
    throw new UserError('backend', `--provider ${provider} is not in this onnxruntime-node build (it has: ${names}); ${GPU_INSTALL_HINT}`);
  }
  if (provider !== 'cpu' && !providerLibraryPresent(provider)) {
    throw new UserError('backend', `--provider ${provider}: ${GPU_INSTALL_HINT}`);
  }
}

/**
 * CUDA and TensorRT are "not bundled": their shared libraries sit beside the binding only when
 * the install script fetched them. Checking first turns a cryptic dlopen failure into advice.
 */
function providerLibraryPresent(provider: 'cuda' | 'tensorrt'): boolean {
  const binding = require.resolve('onnxruntime-node');
  const binRoot = join(dirname(binding), '..', 'bin');
  const wanted = `libonnxruntime_providers_${provider}.so`;
  const search = (dir: string): boolean => {
    if (!existsSync(dir)) return false;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && search(join(dir, entry.name))) return true;
      if (entry.name === wanted || entry.name === wanted.replace('.so', '.dll')) return true;
    }
    return false;
  };
  return search(binRoot);
}
