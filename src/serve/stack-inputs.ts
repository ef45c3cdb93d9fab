import type { BufferPool } from '../backends/buffer-pool.js';
import type { TensorData } from '../backends/types.js';
import { elementCount, tensorView } from '../kserve/datatypes.js';
import type { ModelMetadata, WireTensor } from '../kserve/types.js';

/** One input of a batch, ready for the runtime: `pooled` is the buffer to give back after the run (null: no copy was made). */
export interface StackedInput {
  readonly name: string;
  readonly datatype: ModelMetadata['inputs'][number]['datatype'];
  readonly dims: readonly number[];
  readonly data: TensorData;
  readonly pooled: Buffer | null;
}

/**
 * Every input of a batch of requests, the requests' rows one after another (batch dimension
 * first for a dynamic batch; a model without one gets its single request as it is). A batch of
 * one request uses that request's tensors without a copy unless `ownBuffers` asks for buffers
 * of the batch's own (a worker thread takes them by transfer); otherwise the rows are copied
 * into buffers from `pool`.
 */
export function stackInputs(
  metadata: ModelMetadata,
  dynamicBatch: boolean,
  requests: readonly (readonly WireTensor[])[],
  rows: number,
  pool: BufferPool,
  ownBuffers: boolean,
): StackedInput[] {
  return metadata.inputs.map(({ name, datatype }, k) => {
    const parts = requests.map((request) => {
      const tensor = request[k];
      if (tensor === undefined) throw new Error(`a request of the batch has no tensor for input '${name}'`);
      return tensor;
    });
    const first = parts[0]!;
    const dims = dynamicBatch ? [rows, ...first.shape.slice(1)] : [...first.shape];
    if (parts.length === 1 && !ownBuffers) return { name, datatype, dims, data: first.data, pooled: null };
    const pooled = pool.stack(parts.map((p) => p.data));
    return { name, datatype, dims, data: tensorView(datatype, pooled.buffer, pooled.byteOffset, elementCount(dims)), pooled };
  });
}
