import type { InferenceBackend, SampleFeeds } from '../backends/types.js';
import { samplesToWire } from '../kserve/batch.js';
import type { WireTensor } from '../kserve/types.js';
import { resolveInputShapes } from '../workloads/input-shapes.js';
import { SampleLibrary } from '../workloads/sample-library.js';
import type { WorkloadDefinition } from '../workloads/types.js';

export interface WarmupBatch {
  readonly tensors: readonly WireTensor[];
  readonly rows: number;
}

/**
 * `count` batches of the workload's own samples, cycling through one row and the max batch,
 * so the runtime has seen the sizes the batcher will send before the server says it is ready.
 */
export async function warmupBatches(
  workload: WorkloadDefinition,
  backend: Pick<InferenceBackend, 'inputs' | 'dynamicBatch'>,
  count: number,
  maxBatchRows: number,
): Promise<WarmupBatch[]> {
  if (count <= 0) return [];
  const { inputs } = resolveInputShapes(backend.inputs, backend.dynamicBatch, new Map());
  const library = new SampleLibrary(workload.name, workload.dataset, workload.performanceSampleCount, inputs);
  const sizes = backend.dynamicBatch ? [...new Set([1, maxBatchRows])] : [1];
  const indices = Array.from({ length: Math.min(Math.max(...sizes), library.totalSampleCount) }, (_, i) => i);
  await library.loadSamples(indices);
  const batches: WarmupBatch[] = [];
  for (let i = 0; i < count; i++) {
    const rows = sizes[i % sizes.length]!;
    const samples: SampleFeeds[] = Array.from({ length: rows }, (_, r) => library.feeds(indices[r % indices.length]!));
    batches.push({ tensors: samplesToWire(samples, inputs, backend.dynamicBatch), rows });
  }
  return batches;
}
