import { setImmediate as immediate } from 'node:timers';
import { BufferPool } from '../backends/buffer-pool.js';
import { OrtBackend, type OrtOptions } from '../backends/ort-backend.js';
import type { BatchOutputs, InputSpec, SampleTensor } from '../backends/types.js';
import { UserError } from '../cli/errors.js';
import { datatypeOfOrtType } from '../kserve/datatypes.js';
import type { ModelMetadata, TensorMetadata, WireTensor } from '../kserve/types.js';
import type { WorkloadDefinition } from '../workloads/types.js';
import { stackInputs } from './stack-inputs.js';
import type { Execution, ServedModel } from './types.js';
import { warmupBatches } from './warmup-batches.js';

const nowNs = (): number => Number(process.hrtime.bigint());

/** A workload's model in onnxruntime-node, run a batch at a time for the server. */
export class OrtServedModel implements ServedModel {
  readonly metadata: ModelMetadata;
  readonly dynamicBatch: boolean;
  readonly #backend: OrtBackend;
  readonly #workload: WorkloadDefinition;
  /** Buffers batches of several requests are stacked into, reused batch after batch. */
  readonly #staging = new BufferPool();

  private constructor(name: string, backend: OrtBackend, workload: WorkloadDefinition) {
    this.#backend = backend;
    this.#workload = workload;
    this.dynamicBatch = backend.dynamicBatch;
    this.metadata = servedMetadata(name, backend.inputs, backend.outputs, workload);
  }

  static async load(name: string, workload: WorkloadDefinition, options: OrtOptions): Promise<OrtServedModel> {
    const backend = await OrtBackend.create(options);
    try {
      return new OrtServedModel(name, backend, workload);
    } catch (error) {
      await backend.dispose();
      throw error;
    }
  }

  async execute(requests: readonly (readonly WireTensor[])[], rows: number): Promise<Execution> {
    const startNs = nowNs();
    const inputs = stackInputs(this.metadata, this.dynamicBatch, requests, rows, this.#staging, false);
    const feeds: Record<string, SampleTensor> = {};
    for (const input of inputs) feeds[input.name] = { data: input.data, dims: input.dims };
    // onnxruntime-node runs the session synchronously inside a setImmediate it queues in run();
    // one queued just before fires just before it, so [runStartNs, resolution] brackets the
    // run itself and leaves out whatever the event loop did in between.
    let runStartNs = 0;
    immediate(() => {
      runStartNs = nowNs();
    });
    const pending = this.#backend.runBatch(feeds);
    const inputEndNs = nowNs();
    const batch = await pending.finally(() => {
      for (const input of inputs) if (input.pooled !== null) this.#staging.give(input.pooled);
    });
    const inferEndNs = nowNs();
    const outputs = splitOutputs(batch, this.metadata, requests, rows);
    return {
      outputs,
      inputNs: inputEndNs - startNs,
      inferNs: inferEndNs - (runStartNs === 0 ? inputEndNs : runStartNs),
      outputNs: nowNs() - inferEndNs,
    };
  }

  async warmup(count: number, maxBatchRows: number): Promise<void> {
    for (const batch of await warmupBatches(this.#workload, this.#backend, count, maxBatchRows)) {
      await this.execute([batch.tensors], batch.rows);
    }
  }

  dispose(): Promise<void> {
    return this.#backend.dispose();
  }
}

/** The v2 metadata of a model onnxruntime loaded: shapes with -1 where a dimension may vary. */
export function servedMetadata(name: string, inputs: readonly InputSpec[], outputs: readonly InputSpec[], workload: WorkloadDefinition): ModelMetadata {
  return {
    name,
    versions: ['1'],
    platform: 'onnxruntime_onnx',
    inputs: inputs.map((spec) => tensorMetadata(spec, 'input', workload)),
    outputs: outputs.map((spec) => tensorMetadata(spec, 'output', workload)),
  };
}

/** Each request's rows of every output of a batch, as views (no copies). */
export function splitOutputs(batch: BatchOutputs, metadata: ModelMetadata, requests: readonly (readonly WireTensor[])[], rows: number): WireTensor[][] {
  const perRequest: WireTensor[][] = requests.map(() => []);
  for (const spec of metadata.outputs) {
    const out = batch[spec.name];
    if (out === undefined) throw new Error(`onnxruntime returned no output '${spec.name}'`);
    const datatype = spec.datatype;
    if (requests.length === 1) {
      perRequest[0]!.push({ name: spec.name, datatype, shape: [...out.dims], data: out.data });
      continue;
    }
    if (out.dims[0] !== rows) {
      throw new Error(`output '${spec.name}' has shape [${out.dims.join(', ')}]: its first dimension is not the batch of ${rows}, so it cannot be split between requests`);
    }
    const perRow = out.data.length / rows;
    let row = 0;
    requests.forEach((request, i) => {
      const n = rowCount(request);
      const data = out.data.subarray(row * perRow, (row + n) * perRow) as typeof out.data;
      perRequest[i]!.push({ name: spec.name, datatype, shape: [n, ...out.dims.slice(1)], data });
      row += n;
    });
  }
  return perRequest;
}

/** Rows of a batch-first request (validation made every input agree). */
function rowCount(request: readonly WireTensor[]): number {
  return request[0]?.shape[0] ?? 0;
}

function tensorMetadata(spec: InputSpec, kind: 'input' | 'output', workload: WorkloadDefinition): TensorMetadata {
  const datatype = datatypeOfOrtType(spec.type);
  if (datatype === null) {
    throw new UserError('model', `${workload.modelPath}: ${kind} '${spec.name}' is of type ${spec.type}, which the v2 protocol cannot carry; mlbench serve cannot serve this model`);
  }
  return { name: spec.name, datatype, shape: spec.declaredShape.map((d) => (typeof d === 'number' && d > 0 ? d : -1)) };
}
