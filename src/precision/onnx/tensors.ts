/** Reading float initializers and writing the typed ones the transforms add (little-endian raw_data). */

import { UserError } from '../../cli/errors.js';
import { ElemType, type TensorProto, toNumber } from './proto.js';

export function tensorDims(tensor: TensorProto): number[] {
  return (tensor.dims ?? []).map(toNumber);
}

function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, d) => product * d, 1);
}

export function readFloat32(tensor: TensorProto): Float32Array {
  const name = tensor.name ?? '(unnamed)';
  if (tensor.dataType !== ElemType.FLOAT) throw new Error(`initializer ${name} is not float32`);
  if (tensor.dataLocation === 1) {
    throw new UserError('model', `initializer ${name} is stored in an external file; save the model with its weights inside`);
  }
  const count = elementCount(tensorDims(tensor));
  const raw = tensor.rawData;
  if (raw && raw.length > 0) {
    if (raw.byteLength !== count * 4) throw new UserError('model', `initializer ${name} has ${raw.byteLength} bytes for ${count} floats`);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
  }
  const values = Float32Array.from(tensor.floatData ?? []);
  if (values.length !== count) throw new UserError('model', `initializer ${name} has ${values.length} values for ${count} elements`);
  return values;
}

function rawTensor(name: string, dims: readonly number[], dataType: number, bytes: Uint8Array): TensorProto {
  return { name, dims: [...dims], dataType, rawData: bytes };
}

function littleEndian(count: number, width: number, write: (view: DataView, i: number) => void): Uint8Array {
  const bytes = new Uint8Array(count * width);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < count; i++) write(view, i);
  return bytes;
}

export function float32Tensor(name: string, dims: readonly number[], values: Float32Array): TensorProto {
  return rawTensor(name, dims, ElemType.FLOAT, littleEndian(values.length, 4, (v, i) => v.setFloat32(i * 4, values[i]!, true)));
}

export function float16Tensor(name: string, dims: readonly number[], bits: Uint16Array): TensorProto {
  return rawTensor(name, dims, ElemType.FLOAT16, littleEndian(bits.length, 2, (v, i) => v.setUint16(i * 2, bits[i]!, true)));
}

export function int8Tensor(name: string, dims: readonly number[], values: Int8Array): TensorProto {
  return rawTensor(name, dims, ElemType.INT8, new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice());
}

export function uint8Tensor(name: string, dims: readonly number[], values: Uint8Array): TensorProto {
  return rawTensor(name, dims, ElemType.UINT8, values.slice());
}

export function int32Tensor(name: string, dims: readonly number[], values: Int32Array): TensorProto {
  return rawTensor(name, dims, ElemType.INT32, littleEndian(values.length, 4, (v, i) => v.setInt32(i * 4, values[i]!, true)));
}

export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): TensorProto {
  return rawTensor(name, dims, ElemType.INT64, littleEndian(values.length, 8, (v, i) => v.setBigInt64(i * 8, BigInt(values[i]!), true)));
}
