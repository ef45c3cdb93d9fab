import type { BackendDescription } from '../results/types.js';

export const BACKEND_NAMES = ['ort', 'tfjs', 'null', 'kserve-http', 'kserve-grpc', 'openai'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export type TensorData =
  | Float32Array
  | Float64Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | BigUint64Array;

/** One model input as the model declares it. Symbolic dimensions are strings. */
export interface InputSpec {
  readonly name: string;
  /** ONNX Runtime type names: 'float32', 'int64', ... */
  readonly type: string;
  readonly declaredShape: readonly (number | string)[];
}

/** One sample's tensor, without the batch dimension. */
export interface SampleTensor {
  readonly data: TensorData;
  readonly dims: readonly number[];
}

/** One sample: a tensor per model input. */
export type SampleFeeds = Readonly<Record<string, SampleTensor>>;

/** A batch's outputs, batch dimension first. */
export type BatchOutputs = Readonly<Record<string, { readonly data: TensorData; readonly dims: readonly number[] }>>;

/** A local runtime: loads a model, runs a batch, frees itself. Errors reject, never crash. */
export interface InferenceBackend {
  readonly description: BackendDescription;
  readonly inputs: readonly InputSpec[];
  /** Whether the first dimension of every input is a batch dimension the model lets vary. */
  readonly dynamicBatch: boolean;
  infer(samples: readonly SampleFeeds[]): Promise<BatchOutputs>;
  dispose(): Promise<void>;
}
