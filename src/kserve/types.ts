import type { TensorData } from '../backends/types.js';
import type { V2Datatype } from './datatypes.js';

/** A tensor as the v2 protocol carries it: shape includes the batch dimension when the model has one. */
export interface WireTensor {
  readonly name: string;
  readonly datatype: V2Datatype;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

/** A batch input still as its samples' own rows (no batch copy made yet); shape includes the rows. */
export interface RowsTensor {
  readonly name: string;
  readonly datatype: V2Datatype;
  readonly shape: readonly number[];
  readonly rows: readonly TensorData[];
}

/** Parameters of a request, response or tensor (the protocol's `parameters` object). */
export type Parameters = Readonly<Record<string, string | number | boolean>>;

/** An inference request, decoded from JSON, the binary extension or protobuf. */
export interface InferRequest {
  readonly id: string | null;
  readonly inputs: readonly WireTensor[];
  /** Outputs asked for by name; empty = all. */
  readonly outputs: readonly string[];
  /** Whether the client asked for outputs in the binary form (HTTP only). */
  readonly binaryOutputs: boolean;
  readonly parameters: Parameters;
}

export interface InferResponse {
  readonly modelName: string;
  readonly modelVersion: string | null;
  readonly id: string | null;
  readonly outputs: readonly WireTensor[];
  readonly parameters: Parameters;
}

/** `/v2/models/NAME` and ModelMetadata: shapes use -1 for variable dimensions. */
export interface ModelMetadata {
  readonly name: string;
  readonly versions: readonly string[];
  readonly platform: string;
  readonly inputs: readonly TensorMetadata[];
  readonly outputs: readonly TensorMetadata[];
}

export interface TensorMetadata {
  readonly name: string;
  readonly datatype: V2Datatype;
  readonly shape: readonly number[];
}

/**
 * Per-request server timing that `mlbench serve` puts in every response's parameters, and that
 * the clients read back when a server sends them (they are mlbench's names, not the protocol's).
 */
export const SERVER_TIMING_PARAMETERS = {
  queueNs: 'mlbench_server_queue_ns',
  computeNs: 'mlbench_server_compute_ns',
  batchSize: 'mlbench_server_batch_size',
} as const;

/** The header carrying the JSON part's length in Triton's binary tensor data extension. */
export const BINARY_HEADER = 'inference-header-content-length';
