import type { TensorData } from '../backends/types.js';
import { fromHalfBits, toHalfBits } from '../numeric/float16.js';
import { ProtocolError } from './protocol-error.js';

/** The tensor datatypes of the v2 protocol (BYTES, for strings, is not supported yet). */
export const V2_DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64'] as const;
export type V2Datatype = (typeof V2_DATATYPES)[number];

/** The typed array a datatype's elements live in (its BYTES_PER_ELEMENT is the element size). */
interface TensorArray {
  new (n: number): TensorData;
  new (buffer: ArrayBufferLike, byteOffset: number, n: number): TensorData;
  readonly BYTES_PER_ELEMENT: number;
}

interface DatatypeInfo {
  /** onnxruntime's name for the same element type. */
  readonly ortType: string;
  readonly array: TensorArray;
}

/** FP16 travels as raw half-precision bits in a Uint16Array, as onnxruntime-node takes it. */
const INFO: Readonly<Record<V2Datatype, DatatypeInfo>> = {
  BOOL: { ortType: 'bool', array: Uint8Array },
  UINT8: { ortType: 'uint8', array: Uint8Array },
  UINT16: { ortType: 'uint16', array: Uint16Array },
  UINT32: { ortType: 'uint32', array: Uint32Array },
  UINT64: { ortType: 'uint64', array: BigUint64Array },
  INT8: { ortType: 'int8', array: Int8Array },
  INT16: { ortType: 'int16', array: Int16Array },
  INT32: { ortType: 'int32', array: Int32Array },
  INT64: { ortType: 'int64', array: BigInt64Array },
  FP16: { ortType: 'float16', array: Uint16Array },
  FP32: { ortType: 'float32', array: Float32Array },
  FP64: { ortType: 'float64', array: Float64Array },
};

export function isV2Datatype(value: unknown): value is V2Datatype {
  return typeof value === 'string' && (V2_DATATYPES as readonly string[]).includes(value);
}

/** Checks a datatype from the wire; `where` names the tensor for the message. */
export function parseDatatype(value: unknown, where: string): V2Datatype {
  if (isV2Datatype(value)) return value;
  throw new ProtocolError(`${where}: datatype ${JSON.stringify(value)} is not supported (one of ${V2_DATATYPES.join(', ')})`);
}

export function ortTypeOf(datatype: V2Datatype): string {
  return INFO[datatype].ortType;
}

/** The v2 datatype of an onnxruntime element type, or null when the protocol has none. */
export function datatypeOfOrtType(ortType: string): V2Datatype | null {
  return V2_DATATYPES.find((d) => INFO[d].ortType === ortType) ?? null;
}

export function bytesPerElement(datatype: V2Datatype): number {
  return INFO[datatype].array.BYTES_PER_ELEMENT;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A view of the tensor's bytes (little-endian, as both the binary extension and gRPC raw contents want). */
export function tensorBytes(data: TensorData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A typed array of `datatype` over `n` elements of `buffer` from `byteOffset` (no copy). */
export function tensorView(datatype: V2Datatype, buffer: ArrayBufferLike, byteOffset: number, n: number): TensorData {
  return new INFO[datatype].array(buffer, byteOffset, n);
}

/** Typed arrays use the host's byte order; the wire's is little-endian. */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Raw little-endian bytes as a typed array: a view of `bytes` when they sit at an offset the
 * element type allows (no copy, so the tensor keeps the body alive and shares its memory), a
 * fresh copy otherwise. Views matter for throughput: every copied request body is memory V8
 * counts toward its next full collection, and at tens of MB/s those collections dominate.
 */
export function tensorFromBytes(datatype: V2Datatype, bytes: Uint8Array, shape: readonly number[], where: string): TensorData {
  const n = elementCount(shape);
  const size = bytesPerElement(datatype);
  const want = n * size;
  if (bytes.byteLength !== want) {
    throw new ProtocolError(`${where}: ${bytes.byteLength} bytes of data, but shape [${shape.join(', ')}] of ${datatype} needs ${want}`);
  }
  if (HOST_LITTLE_ENDIAN && bytes.byteOffset % size === 0) return new INFO[datatype].array(bytes.buffer, bytes.byteOffset, n);
  const data = new INFO[datatype].array(n);
  tensorBytes(data).set(bytes);
  return data;
}

/** A JSON `data` array (flat or nested, row-major) as a typed array. */
export function tensorFromJson(datatype: V2Datatype, values: unknown, shape: readonly number[], where: string): TensorData {
  if (!Array.isArray(values)) throw new ProtocolError(`${where}: 'data' must be an array`);
  const flat = values.flat(Number.POSITIVE_INFINITY) as unknown[];
  const n = elementCount(shape);
  if (flat.length !== n) throw new ProtocolError(`${where}: ${flat.length} values, but shape [${shape.join(', ')}] needs ${n}`);
  const data = new INFO[datatype].array(n);
  for (let i = 0; i < n; i++) {
    const v = flat[i];
    if (datatype === 'BOOL') {
      if (typeof v !== 'boolean') throw new ProtocolError(`${where}: value ${i} is not a boolean`);
      data[i] = v ? 1 : 0;
    } else if (typeof v !== 'number' || !Number.isFinite(v) && !datatype.startsWith('FP')) {
      throw new ProtocolError(`${where}: value ${i} is not a number`);
    } else if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
      if (!Number.isInteger(v)) throw new ProtocolError(`${where}: value ${i} is not an integer`);
      data[i] = BigInt(v);
    } else {
      data[i] = datatype === 'FP16' ? toHalfBits(v) : v;
    }
  }
  return data;
}

/** A typed array as JSON values (flat, row-major). 64-bit integers become numbers (exact up to 2^53). */
export function tensorToJson(datatype: V2Datatype, data: TensorData): (number | boolean)[] {
  const out: (number | boolean)[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    out[i] = datatype === 'BOOL' ? v !== 0 : datatype === 'FP16' ? fromHalfBits(Number(v)) : Number(v);
  }
  return out;
}
