import type { ModelMetadata, WireTensor } from '../kserve/types.js';

/**
 * The contract between `mlbench serve`'s transports (HTTP, gRPC), its dynamic batcher and the
 * model it runs. Times are integer nanoseconds; each field says which clock measured it.
 */

/** One model behind the server: onnxruntime in production, a fake with a known service time in tests. */
export interface ServedModel {
  /** Inputs and outputs as the v2 protocol shows them (-1 for variable dimensions). */
  readonly metadata: ModelMetadata;
  /** Whether the first dimension of every input is a batch dimension that may vary. */
  readonly dynamicBatch: boolean;
  /** Batches it can execute at once (its instances); 1 when absent. */
  readonly instances?: number;
  /**
   * Runs requests as one batch. Each request's tensors are batch-first when `dynamicBatch`;
   * `rows` is their total along that dimension. Resolves with each request's outputs (every
   * output of the model, in metadata order). Rejects when the runtime fails.
   */
  execute(requests: readonly (readonly WireTensor[])[], rows: number): Promise<Execution>;
  /** Runs `count` executions of real samples, so the first client request pays no first-run costs. */
  warmup(count: number, maxBatchRows: number): Promise<void>;
  dispose(): Promise<void>;
}

/** What one execution produced, and where its time went (the model's own clock). */
export interface Execution {
  readonly outputs: readonly (readonly WireTensor[])[];
  /** Assembling the batch's input tensors (Triton's compute_input). */
  readonly inputNs: number;
  /** The runtime's run call (Triton's compute_infer). */
  readonly inferNs: number;
  /** Splitting the outputs into each request's rows (the batch's share of compute_output). */
  readonly outputNs: number;
}

/** The batching policy after the model is known: a model without a batch dimension gets max 1. */
export interface BatchPolicy {
  readonly maxBatchRows: number;
  /** Sizes to send at once when the queue can form them; the largest available wins (Triton's rule). */
  readonly preferredBatchRows: readonly number[];
  /** How long the oldest queued request may wait for a batch to fill. */
  readonly windowNs: number;
}

/** One request's timing through the batcher, on the batcher's clock. */
export interface RequestTiming {
  /** From entering the queue to the start of its batch's execution. */
  readonly queueNs: number;
  /** Its batch's execution, start to outputs ready. */
  readonly computeNs: number;
  /** Rows in the batch it ran in. */
  readonly batchRows: number;
  readonly execution: Pick<Execution, 'inputNs' | 'inferNs' | 'outputNs'>;
}
