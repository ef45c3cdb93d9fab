import { setImmediate as immediate } from 'node:timers';
import { OrtBackend, type OrtOptions } from '../backends/ort-backend.js';
import type { BatchOutputs, InputSpec, SampleFeeds, SampleTensor } from '../backends/types.js';
import { UserError } from '../cli/errors.js';
import { datatypeOfOrtType } from '../kserve/datatypes.js';
import type { ModelMetadata, TensorMetadata, WireTensor } from '../kserve/types.js';
import type { WorkloadDefinition } from '../workloads/types.js';
import type { Execution, ServedModel } from './types.js';
import { warmupBatches } from './warmup-batches.js';

const nowNs = (): number => Number(process.hrtime.bigint());

/** A workload's model in onnxruntime-node, run a batch at a time for the server. */
export class OrtServedModel implements ServedModel {
  readonly metadata: ModelMetadata;
  readonly dynamicBatch: boolean;
  readonly #backend: OrtBackend;
  readonly #workload: WorkloadDefinition;

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
    const samples = this.dynamicBatch ? rowsOf(requests, this.#backend.inputs) : [feedsOf(requests[0]!)];
    // onnxruntime-node runs the session synchronously inside a setImmediate it queues in run();
    // one queued just before fires just before it, so [runStartNs, resolution] brackets the
    // run itself and leaves out whatever the event loop did in between.
    let runStartNs = 0;
    immediate(() => {
      runStartNs = nowNs();
    });
    const pending = this.#backend.infer(samples);
    const inputEndNs = nowNs();
    const batch = await pending;
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

/** One sample per row, each a view into its request's tensor (OrtBackend stacks them into the batch). */
function rowsOf(requests: readonly (readonly WireTensor[])[], inputs: readonly InputSpec[]): SampleFeeds[] {
  if (requests.length === 1 && rowCount(requests[0]!) === 1) return [feedsOf(requests[0]!, 1)];
  const samples: SampleFeeds[] = [];
  for (const request of requests) {
    const n = rowCount(request);
    const rows: Record<string, SampleTensor>[] = Array.from({ length: n }, () => ({}));
    inputs.forEach((input, k) => {
      const tensor = request[k]!;
      const dims = tensor.shape.slice(1);
      const perRow = tensor.data.length / n;
      for (let r = 0; r < n; r++) {
        rows[r]![input.name] = { data: tensor.data.subarray(r * perRow, (r + 1) * perRow) as typeof tensor.data, dims };
      }
    });
    samples.push(...rows);
  }
  return samples;
}

/** Rows of a batch-first request (validation made every input agree). */
function rowCount(request: readonly WireTensor[]): number {
  return request[0]?.shape[0] ?? 0;
}

/** A request's tensors as one sample; `skip` drops the leading batch dimension of 1. */
function feedsOf(request: readonly WireTensor[], skip = 0): SampleFeeds {
  const feeds: Record<string, SampleTensor> = {};
  for (const tensor of request) feeds[tensor.name] = { data: tensor.data, dims: tensor.shape.slice(skip) };
  return feeds;
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

function tensorMetadata(spec: InputSpec, kind: 'input' | 'output', workload: WorkloadDefinition): TensorMetadata {
  const datatype = datatypeOfOrtType(spec.type);
  if (datatype === null) {
    throw new UserError('model', `${workload.modelPath}: ${kind} '${spec.name}' is of type ${spec.type}, which the v2 protocol cannot carry; mlbench serve cannot serve this model`);
  }
  return { name: spec.name, datatype, shape: spec.declaredShape.map((d) => (typeof d === 'number' && d > 0 ? d : -1)) };
}
