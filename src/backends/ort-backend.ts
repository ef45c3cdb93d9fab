import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { UserError } from '../cli/errors.js';
import type { BackendDescription } from '../results/types.js';
import type { BatchOutputs, InferenceBackend, InputSpec, SampleFeeds, TensorData } from './types.js';

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
    const feeds = samples.length === 1 ? this.#singleFeeds(samples[0]!) : this.#batchFeeds(samples);
    return this.#session.run(feeds) as Promise<BatchOutputs>;
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

  #batchFeeds(samples: readonly SampleFeeds[]): Record<string, Ort.Tensor> {
    const feeds: Record<string, Ort.Tensor> = {};
    for (const input of this.inputs) {
      const first = samples[0]![input.name]!;
      const per = first.data.length;
      const Ctor = first.data.constructor as new (n: number) => TensorData;
      const data = new Ctor(per * samples.length);
      for (let i = 0; i < samples.length; i++) (data as Float32Array).set(samples[i]![input.name]!.data as Float32Array, i * per);
      feeds[input.name] = new this.#ort.Tensor(input.type as 'float32', data as Float32Array, [samples.length, ...first.dims]);
    }
    return feeds;
  }
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
