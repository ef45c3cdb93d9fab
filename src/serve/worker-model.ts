import { Worker } from 'node:worker_threads';
import { BufferPool } from '../backends/buffer-pool.js';
import type { OrtOptions } from '../backends/ort-backend.js';
import type { BatchOutputs } from '../backends/types.js';
import type { ModelMetadata, WireTensor } from '../kserve/types.js';
import type { WorkloadDefinition } from '../workloads/types.js';
import { servedMetadata, splitOutputs } from './ort-model.js';
import { stackInputs } from './stack-inputs.js';
import type { Execution, ServedModel } from './types.js';
import { warmupBatches } from './warmup-batches.js';
import type { WorkerFeed, WorkerHello, WorkerJob, WorkerReply, WorkerStart } from './worker-protocol.js';

/**
 * The worker's entry: beside this module once built. Run from the TypeScript sources (the
 * tests), there is no .js beside it, so the built copy is used: `npm test` builds first.
 */
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? '../../dist/serve/model-worker.js' : './model-worker.js', import.meta.url);

const nowNs = (): number => Number(process.hrtime.bigint());

/**
 * A model served by `instances` onnxruntime sessions, each on a worker thread (Triton's model
 * instances): the batcher runs that many batches at once, and the server's event loop keeps
 * reading requests while they run. Independent sessions with one thread each scale better on
 * a busy machine than one session whose threads must all meet at every operator: on this
 * project's 2-vCPU VM two instances of the built-in model ran 77,000 samples/s against
 * 40,000-50,000 for one session with two threads (spinning off, by hand, 2026-12-05).
 */
export class WorkerServedModel implements ServedModel {
  readonly metadata: ModelMetadata;
  readonly dynamicBatch: boolean;
  readonly instances: number;
  readonly #workers: readonly ModelInstance[];
  readonly #idle: ModelInstance[];
  readonly #workload: WorkloadDefinition;
  readonly #inputs: WorkerHelloReady['inputs'];
  /** Stacked batches travel to a worker and come back: their buffers are reused. */
  readonly #staging = new BufferPool();

  private constructor(name: string, workers: readonly ModelInstance[], hello: WorkerHelloReady, workload: WorkloadDefinition) {
    this.#workers = workers;
    this.#idle = [...workers];
    this.#workload = workload;
    this.#inputs = hello.inputs;
    this.instances = workers.length;
    this.dynamicBatch = hello.dynamicBatch;
    this.metadata = servedMetadata(name, hello.inputs, hello.outputs, workload);
  }

  static async load(name: string, workload: WorkloadDefinition, options: OrtOptions, instances: number): Promise<WorkerServedModel> {
    const started = Array.from({ length: instances }, () => ModelInstance.start(options));
    const settled = await Promise.allSettled(started);
    const workers = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure !== undefined) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw failure.reason;
    }
    try {
      return new WorkerServedModel(name, workers, workers[0]!.hello, workload);
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
  }

  async execute(requests: readonly (readonly WireTensor[])[], rows: number): Promise<Execution> {
    const worker = this.#idle.pop();
    if (worker === undefined) throw new Error(`all ${this.instances} model instances are busy`);
    try {
      return await this.#executeOn(worker, requests, rows);
    } finally {
      this.#idle.push(worker);
    }
  }

  /** Every instance runs the warmup batches: each has its own session to warm. */
  async warmup(count: number, maxBatchRows: number): Promise<void> {
    const batches = await warmupBatches(this.#workload, { inputs: this.#inputs, dynamicBatch: this.dynamicBatch }, count, maxBatchRows);
    await Promise.all(
      this.#workers.map(async (worker) => {
        for (const batch of batches) await this.#executeOn(worker, [batch.tensors], batch.rows);
      }),
    );
  }

  async dispose(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  async #executeOn(worker: ModelInstance, requests: readonly (readonly WireTensor[])[], rows: number): Promise<Execution> {
    const startNs = nowNs();
    const feeds = stackInputs(this.metadata, this.dynamicBatch, requests, rows, this.#staging, true).map(
      ({ name, datatype, dims, data }): WorkerFeed => ({ name, datatype, dims, buffer: data.buffer as ArrayBuffer, length: data.length }),
    );
    const inputEndNs = nowNs();
    const reply = await worker.run(feeds);
    for (const buffer of reply.buffers) this.#staging.give(Buffer.from(buffer));
    if (!reply.ok) throw new Error(reply.message);
    const receivedNs = nowNs();
    const batch: Record<string, BatchOutputs[string]> = {};
    for (const o of reply.outputs) batch[o.name] = { data: o.data, dims: o.dims };
    const outputs = splitOutputs(batch, this.metadata, requests, rows);
    return { outputs, inputNs: inputEndNs - startNs, inferNs: reply.runNs, outputNs: nowNs() - receivedNs };
  }
}

type WorkerHelloReady = Extract<WorkerHello, { kind: 'ready' }>;

/** One worker thread and the jobs it has not answered yet. */
class ModelInstance {
  readonly hello: WorkerHelloReady;
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }>();
  #nextId = 0;
  #failure: Error | null = null;

  private constructor(worker: Worker, hello: WorkerHelloReady) {
    this.#worker = worker;
    this.hello = hello;
    worker.on('message', (reply: WorkerReply) => {
      const job = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      job?.resolve(reply);
    });
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => this.#fail(new Error(`the model instance's worker thread exited (code ${code})`)));
  }

  static start(options: OrtOptions): Promise<ModelInstance> {
    const workerData: WorkerStart = { options };
    const worker = new Worker(WORKER_ENTRY, { workerData });
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      const onExit = (code: number): void => reject(new Error(`the model instance's worker thread exited (code ${code}) before loading the model`));
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.once('message', (hello: WorkerHello) => {
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (hello.kind === 'ready') {
          resolve(new ModelInstance(worker, hello));
        } else {
          void worker.terminate();
          reject(new Error(hello.message));
        }
      });
    });
  }

  run(feeds: readonly WorkerFeed[]): Promise<WorkerReply> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    const job: WorkerJob = { id: this.#nextId++, feeds };
    return new Promise((resolve, reject) => {
      this.#pending.set(job.id, { resolve, reject });
      this.#worker.postMessage(job, feeds.map((f) => f.buffer));
    });
  }

  async terminate(): Promise<void> {
    this.#failure ??= new Error('the server is shutting down');
    await this.#worker.terminate();
  }

  /** A dead worker fails what it had and every later job. */
  #fail(error: Error): void {
    this.#failure ??= error;
    for (const job of this.#pending.values()) job.reject(this.#failure);
    this.#pending.clear();
  }
}
