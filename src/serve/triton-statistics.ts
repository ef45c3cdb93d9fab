import type { ServerStatus } from './inference-core.js';
import type { Duration } from './server-stats.js';

/**
 * GET /v2/models/NAME/stats in the shape of Triton's statistics extension, so tools written for
 * Triton (perf_analyzer, mlbench's own client) read it. Every figure is measured: inference_stats
 * counts requests (each carries its batch's compute times, as Triton attributes them);
 * batch_stats counts executions. compute_output per request adds its own response encoding to
 * its batch's output split; batch_stats' compute_output is the split alone. The `mlbench` object
 * is not Triton's: the queue as it is now, and refusals (Triton has no field for them).
 */
export function tritonStatistics(name: string, version: string, status: ServerStatus): unknown {
  const timed = (count: number, ns: number): Duration => ({ count, ns });
  return {
    model_stats: [
      {
        name,
        version,
        last_inference: status.lastInferenceMs,
        inference_count: status.inferenceCount,
        execution_count: status.executionCount,
        inference_stats: {
          success: status.success,
          fail: status.fail,
          queue: status.queue,
          compute_input: status.computeInput,
          compute_infer: status.computeInfer,
          compute_output: status.computeOutput,
        },
        batch_stats: status.batches.map((b) => ({
          batch_size: b.batchRows,
          compute_input: timed(b.count, b.inputNs),
          compute_infer: timed(b.count, b.inferNs),
          compute_output: timed(b.count, b.outputNs),
        })),
        mlbench: {
          state: status.state,
          queued_requests: status.queuedRequests,
          executing: status.executing,
          refused_requests: status.refused,
          batches_formed: status.batchSizes,
        },
      },
    ],
  };
}
