/**
 * The parts of an ONNX model the TF.js converter reads: nodes in graph order,
 * initializers decoded to typed arrays, and the graph's real inputs and
 * outputs (initializers listed as inputs, as old exporters did, are dropped).
 */

import onnxProto from 'onnx-proto';
import { UserError } from '../../cli/errors.js';

const { onnx } = onnxProto;
const DataType = onnx.TensorProto.DataType;

/** The element types the converter handles; TF.js itself has no int64 (see toTfDtype). */
export type OnnxElementType = 'float32' | 'int32' | 'int64';

export type OnnxTensorValues = Float32Array | Int32Array | BigInt64Array;

export interface OnnxConstant {
  readonly dtype: OnnxElementType;
  readonly dims: readonly number[];
  readonly values: OnnxTensorValues;
}

export interface OnnxValueInfo {
  readonly name: string;
  readonly dtype: OnnxElementType;
  /** Symbolic dimensions keep their ONNX dim_param; an unnamed one is ''. null: the model declares no shape. */
  readonly dims: readonly (number | string)[] | null;
}

export interface OnnxNode {
  readonly opType: string;
  readonly domain: string;
  /** The node's name, or its first output when unnamed: what error messages call it. */
  readonly label: string;
  /** '' marks an omitted optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, onnxProto.onnx.IAttributeProto>;
}

export interface OnnxGraph {
  readonly opset: number;
  readonly producer: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: ReadonlyMap<string, OnnxConstant>;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

type Int64Like = number | { toString(): string };

export function toBigInt(value: Int64Like): bigint {
  return typeof value === 'number' ? BigInt(value) : BigInt(value.toString());
}

/** An int64 the converter must use as a JS number (dims, attributes). */
export function toSafeNumber(value: Int64Like | bigint, what: string): number {
  const big = typeof value === 'bigint' ? value : toBigInt(value);
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new UserError('model', `ONNX model: ${what} = ${big} is out of range`);
  }
  return Number(big);
}

/** An integer initializer's values as bigints (Slice bounds can be INT64_MAX). */
export function constantBigInts(constant: OnnxConstant, what: string): bigint[] {
  if (constant.dtype === 'float32') throw new UserError('model', `ONNX model: ${what} must be an integer tensor`);
  return Array.from(constant.values as ArrayLike<number | bigint>, (v) => BigInt(v));
}

/** An integer initializer's values as numbers (shapes, axes). */
export function constantInts(constant: OnnxConstant, what: string): number[] {
  return constantBigInts(constant, what).map((v) => toSafeNumber(v, what));
}

function elementType(code: number | null | undefined, what: string): OnnxElementType {
  switch (code) {
    case DataType.FLOAT:
      return 'float32';
    case DataType.INT32:
      return 'int32';
    case DataType.INT64:
      return 'int64';
    default: {
      const name = code == null ? 'unset' : (DataType[code] ?? String(code));
      throw new UserError('model', `ONNX model: ${what} has element type ${name}; the TF.js converter handles FLOAT, INT32 and INT64`);
    }
  }
}

const BYTES: Record<OnnxElementType, number> = { float32: 4, int32: 4, int64: 8 };

function decodeConstant(tensor: onnxProto.onnx.ITensorProto): OnnxConstant {
  const name = tensor.name ?? '';
  const what = `initializer '${name}'`;
  if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new UserError('model', `ONNX model: ${what} keeps its data in an external file; the TF.js converter needs it inside the model`);
  }
  const dtype = elementType(tensor.dataType, what);
  const dims = (tensor.dims ?? []).map((d) => toSafeNumber(d, `${what} dimension`));
  const count = dims.reduce((product, d) => product * d, 1);
  const raw = tensor.rawData;
  let values: OnnxTensorValues;
  if (raw && raw.length > 0) {
    if (raw.byteLength !== count * BYTES[dtype]) {
      throw new UserError('model', `ONNX model: ${what} has ${raw.byteLength} bytes for ${count} ${dtype} values`);
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    if (dtype === 'float32') values = Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
    else if (dtype === 'int32') values = Int32Array.from({ length: count }, (_, i) => view.getInt32(i * 4, true));
    else values = BigInt64Array.from({ length: count }, (_, i) => view.getBigInt64(i * 8, true));
  } else if (dtype === 'float32') {
    values = Float32Array.from(tensor.floatData ?? []);
  } else if (dtype === 'int32') {
    values = Int32Array.from(tensor.int32Data ?? []);
  } else {
    values = BigInt64Array.from((tensor.int64Data ?? []).map(toBigInt));
  }
  if (values.length !== count) {
    throw new UserError('model', `ONNX model: ${what} has ${values.length} values for dims [${dims.join(', ')}]`);
  }
  return { dtype, dims, values };
}

function valueInfo(info: onnxProto.onnx.IValueInfoProto): OnnxValueInfo {
  const name = info.name ?? '';
  const tensorType = info.type?.tensorType;
  if (!tensorType) throw new UserError('model', `ONNX model: graph value '${name}' is not a tensor`);
  const dims =
    tensorType.shape == null
      ? null
      : (tensorType.shape.dim ?? []).map((d) => (d.dimValue != null && !d.dimParam ? toSafeNumber(d.dimValue, `'${name}' dimension`) : (d.dimParam ?? '')));
  return { name, dtype: elementType(tensorType.elemType, `graph value '${name}'`), dims };
}

function decodeModel(bytes: Uint8Array): onnxProto.onnx.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError('model', `not a readable ONNX model (${reason})`);
  }
}

export function readOnnxGraph(bytes: Uint8Array): OnnxGraph {
  const model = decodeModel(bytes);
  const graph = model.graph;
  if (!graph) throw new UserError('model', 'ONNX model has no graph');
  const defaultOpset = (model.opsetImport ?? []).find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx');
  const opset = defaultOpset?.version != null ? toSafeNumber(defaultOpset.version, 'opset') : 0;
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', decodeConstant(t)] as const));
  const nodes = (graph.node ?? []).map((n): OnnxNode => {
    const outputs = n.output ?? [];
    return {
      opType: n.opType ?? '',
      domain: n.domain ?? '',
      label: n.name || outputs[0] || '(unnamed)',
      inputs: n.input ?? [],
      outputs,
      attributes: new Map((n.attribute ?? []).map((a) => [a.name ?? '', a] as const)),
    };
  });
  const producer = [model.producerName, model.producerVersion].filter((s) => s).join(' ');
  return {
    opset,
    producer,
    nodes,
    initializers,
    inputs: (graph.input ?? []).filter((i) => !initializers.has(i.name ?? '')).map(valueInfo),
    outputs: (graph.output ?? []).map(valueInfo),
  };
}
