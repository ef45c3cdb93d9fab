import type { OrtOptions } from '../backends/ort-backend.js';
import type { InputSpec, TensorData } from '../backends/types.js';
import type { V2Datatype } from '../kserve/datatypes.js';

/**
 * Messages between `mlbench serve` and one model instance on a worker thread. Tensor memory
 * moves, never copies: a batch's input buffers are transferred to the worker and back with the
 * answer (to be reused), and the outputs' buffers are transferred to the server.
 */

export interface WorkerStart {
  readonly options: OrtOptions;
}

/** The worker's first message: the session is open, or why not. */
export type WorkerHello =
  | { readonly kind: 'ready'; readonly inputs: readonly InputSpec[]; readonly outputs: readonly InputSpec[]; readonly dynamicBatch: boolean }
  | { readonly kind: 'failed'; readonly message: string };

/** One input of a stacked batch: `length` elements of `datatype` at the start of `buffer`. */
export interface WorkerFeed {
  readonly name: string;
  readonly datatype: V2Datatype;
  readonly dims: readonly number[];
  readonly buffer: ArrayBuffer;
  readonly length: number;
}

export interface WorkerJob {
  readonly id: number;
  readonly feeds: readonly WorkerFeed[];
}

export interface WorkerOutput {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: TensorData;
}

/** `buffers`: the job's input buffers, handed back. `runNs`: the session's run, on the worker's clock. */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly runNs: number; readonly outputs: readonly WorkerOutput[]; readonly buffers: readonly ArrayBuffer[] }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly buffers: readonly ArrayBuffer[] };
