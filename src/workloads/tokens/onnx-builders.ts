/**
 * Small builders for onnx-proto messages, so the graph code reads as a list
 * of nodes. Tensors are written as little-endian raw_data, independent of the
 * host's byte order.
 */

import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const INT32 = onnx.TensorProto.DataType.INT32;
export const INT64 = onnx.TensorProto.DataType.INT64;

export function floatInitializer(
  name: string,
  dims: readonly number[],
  values: Float32Array,
): onnxProto.onnx.ITensorProto {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return { name, dims: [...dims], dataType: FLOAT, rawData: bytes };
}

/** A 1-D int64 tensor, as Reshape takes its target shape. */
export function int64Initializer(name: string, values: readonly number[]): onnxProto.onnx.ITensorProto {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(values[i]!), true);
  return { name, dims: [values.length], dataType: INT64, rawData: bytes };
}

export function intAttribute(name: string, i: number): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

export function intsAttribute(name: string, ints: readonly number[]): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...ints] };
}

export function floatAttribute(name: string, f: number): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f };
}

export function node(
  opType: string,
  name: string,
  input: readonly string[],
  output: readonly string[],
  attribute: onnxProto.onnx.IAttributeProto[] = [],
): onnxProto.onnx.INodeProto {
  return { opType, name, input: [...input], output: [...output], attribute };
}

export function valueInfo(
  name: string,
  elemType: number,
  dims: readonly (number | string)[],
): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

/** protobufjs gives int64 fields as Long objects; dims and the like fit in a number. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && 'toNumber' in value) {
    return (value as { toNumber(): number }).toNumber();
  }
  throw new TypeError(`not an integer: ${String(value)}`);
}

export function tensorDims(tensor: onnxProto.onnx.ITensorProto): number[] {
  return (tensor.dims ?? []).map(toNumber);
}

export function readFloatTensor(tensor: onnxProto.onnx.ITensorProto): Float32Array {
  if (tensor.dataType !== FLOAT) throw new Error(`initializer ${tensor.name} is not float32`);
  const count = tensorDims(tensor).reduce((product, d) => product * d, 1);
  const raw = tensor.rawData;
  if (raw && raw.length > 0) {
    if (raw.byteLength !== count * 4) throw new Error(`initializer ${tensor.name} has ${raw.byteLength} bytes`);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
  }
  const values = Float32Array.from(tensor.floatData ?? []);
  if (values.length !== count) throw new Error(`initializer ${tensor.name} has ${values.length} values`);
  return values;
}

export function readInt64Tensor(tensor: onnxProto.onnx.ITensorProto): number[] {
  if (tensor.dataType !== INT64) throw new Error(`initializer ${tensor.name} is not int64`);
  const raw = tensor.rawData;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Array.from({ length: raw.byteLength / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
  }
  return (tensor.int64Data ?? []).map(toNumber);
}
