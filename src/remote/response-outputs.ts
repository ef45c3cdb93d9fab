import type { BatchOutputs, TensorData } from '../backends/types.js';
import { ProtocolError } from '../kserve/protocol-error.js';
import type { InferResponse } from '../kserve/types.js';

/**
 * A decoded response as the batch's outputs. The server must return every output its metadata
 * declared and, for a batched request, one row per sample: anything else is malformed, so the
 * harness never scores rows that belong to no sample.
 */
export function toBatchOutputs(response: InferResponse, declared: readonly string[], batchSize: number | null): BatchOutputs {
  if (response.outputs.length === 0) throw new ProtocolError('response: no outputs');
  const out: Record<string, { data: TensorData; dims: readonly number[] }> = {};
  for (const tensor of response.outputs) {
    if (batchSize !== null && tensor.shape[0] !== batchSize) {
      throw new ProtocolError(`output '${tensor.name}': shape [${tensor.shape.join(', ')}] for a batch of ${batchSize}`);
    }
    out[tensor.name] = { data: tensor.data, dims: tensor.shape };
  }
  for (const name of declared) if (!Object.hasOwn(out, name)) throw new ProtocolError(`response: output '${name}' is missing`);
  return out;
}
