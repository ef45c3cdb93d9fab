import { join } from 'node:path';
import { OrtBackend } from '../../src/backends/ort-backend.js';
import type { SampleFeeds } from '../../src/backends/types.js';
import { samplesToWire } from '../../src/kserve/batch.js';
import type { ModelMetadata, WireTensor } from '../../src/kserve/types.js';
import { resolveServeOptions, type ServeFlagValues } from '../../src/serve/serve-options.js';
import { type RunningServer, type ServerOptions, startServer } from '../../src/serve/start-server.js';
import type { Execution, ServedModel } from '../../src/serve/types.js';
import { resolveInputShapes } from '../../src/workloads/input-shapes.js';
import { loadWorkloadFile } from '../../src/workloads/load-workload.js';
import { BUILTIN_WORKLOADS_DIR } from '../../src/workloads/paths.js';
import { SampleLibrary } from '../../src/workloads/sample-library.js';

export const WORKLOAD = loadWorkloadFile(join(BUILTIN_WORKLOADS_DIR, 'shapes-cnn', 'workload.json'));

/** `mlbench serve`'s defaults, on free loopback ports, one onnxruntime thread (so direct runs agree bit for bit). */
export function serveFlags(overrides: Partial<ServeFlagValues> = {}): ServeFlagValues {
  return {
    precision: 'fp32',
    host: '127.0.0.1',
    'http-port': 0,
    'grpc-port': 0,
    'max-batch': 8,
    'batch-window-ms': 0,
    'max-queue': 0,
    'max-request-mb': 64,
    warmup: 2,
    provider: 'cpu',
    'intra-op-threads': 1,
    'inter-op-threads': 1,
    'graph-optimization': 'all',
    'ort-spinning': false,
    instances: 1,
    ...overrides,
  };
}

/** The real server, in-process, as the CLI would start it from these flags; silent unless `log` is given. */
export async function startFromFlags(
  overrides: Partial<ServeFlagValues> = {},
  extra: Pick<ServerOptions, 'holdReadyUntil' | 'log'> = {},
): Promise<RunningServer> {
  return startServer({ ...resolveServeOptions(serveFlags(overrides)), log: () => {}, ...extra });
}

export function httpUrl(server: RunningServer): string {
  return `http://127.0.0.1:${server.http!.port}`;
}

/** The workload's first `count` samples, and onnxruntime run on them directly, for exact comparisons. */
export async function directReference(): Promise<{
  samples: (indices: readonly number[]) => SampleFeeds[];
  wire: (indices: readonly number[]) => WireTensor[];
  logits: (indices: readonly number[]) => Promise<Float32Array>;
  dispose: () => Promise<void>;
}> {
  const backend = await OrtBackend.create({
    modelPath: WORKLOAD.modelPath,
    provider: 'cpu',
    intraOpThreads: 1,
    interOpThreads: 1,
    graphOptimization: 'all',
    executionMode: 'sequential',
    spinning: true,
  });
  const { inputs } = resolveInputShapes(backend.inputs, backend.dynamicBatch, new Map());
  const library = new SampleLibrary(WORKLOAD.name, WORKLOAD.dataset, WORKLOAD.performanceSampleCount, inputs);
  await library.loadSamples(Array.from({ length: 32 }, (_, i) => i));
  const samples = (indices: readonly number[]) => indices.map((i) => library.feeds(i));
  return {
    samples,
    wire: (indices) => samplesToWire(samples(indices), inputs, true),
    logits: async (indices) => (await backend.infer(samples(indices)))['logits']!.data as Float32Array,
    dispose: () => backend.dispose(),
  };
}

export const FAKE_METADATA: ModelMetadata = {
  name: 'fake',
  versions: ['1'],
  platform: 'test',
  inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }],
  outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 2] }],
};

/**
 * A model that doubles its input. `hold()` makes executions wait until released, so a test can
 * fill the queue; an input holding 666 makes the execution throw, as a failing runtime would.
 */
export class FakeModel implements ServedModel {
  readonly metadata = FAKE_METADATA;
  readonly dynamicBatch = true;
  /** Rows of each execution, in order. */
  readonly executions: number[] = [];
  #gate: Promise<void> | null = null;
  #started: (() => void)[] = [];

  /** Executions from now on wait; returns the release. */
  hold(): () => void {
    let release = (): void => {};
    this.#gate = new Promise((resolve) => {
      release = () => {
        this.#gate = null;
        resolve();
      };
    });
    return release;
  }

  /** Resolves when the next execution starts. */
  nextExecution(): Promise<void> {
    return new Promise((resolve) => this.#started.push(resolve));
  }

  async execute(requests: readonly (readonly WireTensor[])[], rows: number): Promise<Execution> {
    this.executions.push(rows);
    for (const resolve of this.#started.splice(0)) resolve();
    if (this.#gate !== null) await this.#gate;
    const outputs = requests.map((tensors) => {
      const x = tensors[0]!;
      if ((x.data as Float32Array).includes(666)) throw new Error('fake runtime: 666 in the input');
      return [{ name: 'y', datatype: 'FP32' as const, shape: [...x.shape], data: (x.data as Float32Array).map((v) => v * 2) }];
    });
    return { outputs, inputNs: 1, inferNs: 2, outputNs: 3 };
  }

  async warmup(): Promise<void> {}
  async dispose(): Promise<void> {}
}

/** The fake model behind real HTTP and gRPC transports. */
export function startFake(model: FakeModel, options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  return startServer({
    name: 'fake',
    load: async () => model,
    host: '127.0.0.1',
    httpPort: 0,
    grpcPort: 0,
    batching: { maxBatchRows: 8, preferredBatchRows: [], windowNs: 0 },
    maxQueue: 0,
    maxRequestBytes: 1024 * 1024,
    warmupCount: 0,
    log: () => {},
    ...options,
  });
}

/** Polls `condition` every few milliseconds (at most `timeoutMs`): for states a test cannot await directly. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function fakeRequest(rows: number, value = 1): unknown {
  return { inputs: [{ name: 'x', datatype: 'FP32', shape: [rows, 2], data: Array.from({ length: rows * 2 }, () => value) }] };
}
