import { describe, expect, it } from 'vitest';
import type { TensorData } from '../../src/backends/types.js';
import { samplesToRows, samplesToWire } from '../../src/kserve/batch.js';
import { V2_DATATYPES, type V2Datatype } from '../../src/kserve/datatypes.js';
import {
  decodeInferRequest,
  decodeInferResponse,
  encodeBinaryRequest,
  encodeInferRequest,
  encodeInferResponse,
  parseJsonLengthHeader,
} from '../../src/kserve/http-codec.js';
import { ProtocolError } from '../../src/kserve/protocol-error.js';
import { BINARY_HEADER, type WireTensor } from '../../src/kserve/types.js';

/** Four values per datatype, extremes included; JSON carries 64-bit integers exactly up to 2^53. */
const JSON_VALUES = {
  BOOL: new Uint8Array([1, 0, 0, 1]),
  UINT8: new Uint8Array([0, 1, 200, 255]),
  UINT16: new Uint16Array([0, 1, 40_000, 65_535]),
  UINT32: new Uint32Array([0, 1, 3_000_000_000, 4_294_967_295]),
  UINT64: new BigUint64Array([0n, 1n, 2n ** 40n, 2n ** 53n - 1n]),
  INT8: new Int8Array([-128, -1, 0, 127]),
  INT16: new Int16Array([-32_768, -1, 0, 32_767]),
  INT32: new Int32Array([-2_147_483_648, -1, 0, 2_147_483_647]),
  INT64: new BigInt64Array([-(2n ** 53n) + 1n, -1n, 0n, 2n ** 53n - 1n]),
  FP16: new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001]),
  FP32: new Float32Array([1.5, -2.25, 3.4028234663852886e38, Math.fround(1e-45)]),
  FP64: new Float64Array([Math.PI, -1e-300, 1e300, 5e-324]),
} satisfies Record<V2Datatype, TensorData>;

/** The binary form carries every bit: full-range 64-bit integers. */
const BINARY_VALUES: Record<V2Datatype, TensorData> = {
  ...JSON_VALUES,
  UINT64: new BigUint64Array([0n, 1n, 2n ** 63n, 2n ** 64n - 1n]),
  INT64: new BigInt64Array([-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n]),
};

function tensor(datatype: V2Datatype, data: TensorData, name = `t_${datatype}`): WireTensor {
  return { name, datatype, shape: [2, 2], data };
}

function expectSameTensor(actual: WireTensor | undefined, expected: WireTensor): void {
  expect(actual).toBeDefined();
  expect(actual!.name).toBe(expected.name);
  expect(actual!.datatype).toBe(expected.datatype);
  expect(actual!.shape).toEqual(expected.shape);
  expect(actual!.data.constructor).toBe(expected.data.constructor);
  expect(Array.from(actual!.data as ArrayLike<number | bigint>)).toEqual(Array.from(expected.data as ArrayLike<number | bigint>));
}

function protocolError(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error('expected a ProtocolError');
}

function jsonLength(headers: Record<string, string>): number | null {
  return parseJsonLengthHeader(headers[BINARY_HEADER]);
}

describe('HTTP codec round trips', () => {
  for (const binary of [false, true]) {
    const values = binary ? BINARY_VALUES : JSON_VALUES;
    const form = binary ? 'binary' : 'JSON';

    it(`carries every datatype in a request (${form})`, () => {
      const inputs = V2_DATATYPES.map((d) => tensor(d, values[d]));
      const { body, headers } = encodeInferRequest(inputs, { id: 'r1', binaryInputs: binary, binaryOutputs: binary });
      expect(headers['content-type']).toBe(binary ? 'application/octet-stream' : 'application/json');
      const decoded = decodeInferRequest(body, jsonLength(headers));
      expect(decoded.id).toBe('r1');
      expect(decoded.binaryOutputs).toBe(binary);
      expect(decoded.outputs).toEqual([]);
      for (const [i, t] of inputs.entries()) expectSameTensor(decoded.inputs[i], t);
    });

    it(`carries every datatype in a response, with parameters (${form})`, () => {
      const outputs = V2_DATATYPES.map((d) => tensor(d, values[d]));
      const parameters = { mlbench_server_queue_ns: 1234, mlbench_server_compute_ns: 5678, note: 'x', flag: true };
      const { body, headers } = encodeInferResponse({ modelName: 'm', modelVersion: '2', id: 'r1', outputs, parameters }, binary);
      const decoded = decodeInferResponse(body, jsonLength(headers));
      expect(decoded).toMatchObject({ modelName: 'm', modelVersion: '2', id: 'r1', parameters });
      for (const [i, t] of outputs.entries()) expectSameTensor(decoded.outputs[i], t);
    });
  }

  it('asks for named outputs in binary form', () => {
    const { body, headers } = encodeInferRequest([tensor('FP32', JSON_VALUES.FP32)], { binaryInputs: false, binaryOutputs: true, outputs: ['a', 'b'] });
    const decoded = decodeInferRequest(body, jsonLength(headers));
    expect(decoded.outputs).toEqual(['a', 'b']);
    expect(decoded.binaryOutputs).toBe(true);
  });

  it('reads nested data arrays row-major', () => {
    const body = Buffer.from(JSON.stringify({ inputs: [{ name: 'x', datatype: 'INT32', shape: [2, 2, 2], data: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]] }] }));
    const decoded = decodeInferRequest(body, null);
    expect(decoded.inputs[0]!.data).toEqual(new Int32Array([1, 2, 3, 4, 5, 6, 7, 8]));
    const bools = decodeInferRequest(Buffer.from(JSON.stringify({ inputs: [{ name: 'b', datatype: 'BOOL', shape: [1, 2], data: [[true, false]] }] })), null);
    expect(bools.inputs[0]!.data).toEqual(new Uint8Array([1, 0]));
  });

  it('mixes binary and JSON tensors in one body', () => {
    const header = Buffer.from(
      JSON.stringify({
        inputs: [
          { name: 'a', datatype: 'INT16', shape: [2], parameters: { binary_data_size: 4 } },
          { name: 'b', datatype: 'FP64', shape: [1], data: [0.25] },
        ],
      }),
    );
    const body = Buffer.concat([header, Buffer.from(new Int16Array([-2, 7]).buffer)]);
    const decoded = decodeInferRequest(body, header.byteLength);
    expect(decoded.inputs[0]!.data).toEqual(new Int16Array([-2, 7]));
    expect(decoded.inputs[1]!.data).toEqual(new Float64Array([0.25]));
  });
});

describe('HTTP codec: malformed bodies', () => {
  const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
  const input = (fields: Record<string, unknown>): Buffer => json({ inputs: [{ name: 'img', datatype: 'FP32', shape: [2, 2], ...fields }] });

  it('names the tensor whose data count is wrong', () => {
    expect(protocolError(() => decodeInferRequest(input({ data: [1, 2, 3] }), null)).message).toBe("input 'img': 3 values, but shape [2, 2] needs 4");
  });

  it('names the tensor of a bad datatype, a bad shape or a non-number', () => {
    expect(protocolError(() => decodeInferRequest(input({ datatype: 'BYTES', data: [] }), null)).message).toContain("input 'img': datatype \"BYTES\" is not supported");
    expect(protocolError(() => decodeInferRequest(input({ shape: [2, -1], data: [] }), null)).message).toContain("input 'img': 'shape'");
    expect(protocolError(() => decodeInferRequest(input({ data: [1, 2, 'x', 4] }), null)).message).toBe("input 'img': value 2 is not a number");
    expect(protocolError(() => decodeInferRequest(input({}), null)).message).toContain("input 'img': neither 'data' nor");
  });

  it('names the tensor whose binary_data_size runs past the body or does not fit its shape', () => {
    const header = input({ parameters: { binary_data_size: 16 } });
    const short = Buffer.concat([header, Buffer.alloc(12)]);
    expect(protocolError(() => decodeInferRequest(short, header.byteLength)).message).toBe("input 'img': binary_data_size 16 runs past the end of the body (12 bytes left)");
    const wrongSize = input({ parameters: { binary_data_size: 8 } });
    expect(protocolError(() => decodeInferRequest(Buffer.concat([wrongSize, Buffer.alloc(8)]), wrongSize.byteLength)).message).toBe(
      "input 'img': 8 bytes of data, but shape [2, 2] of FP32 needs 16",
    );
  });

  it('names the last binary tensor when bytes are left over', () => {
    const header = input({ parameters: { binary_data_size: 16 } });
    const long = Buffer.concat([header, Buffer.alloc(20)]);
    expect(protocolError(() => decodeInferRequest(long, header.byteLength)).message).toBe("request: 4 bytes of binary data after the last binary tensor (input 'img')");
  });

  it('rejects a bad JSON length header', () => {
    expect(protocolError(() => parseJsonLengthHeader('12a')).message).toContain(`${BINARY_HEADER}: "12a" is not a byte count`);
    expect(protocolError(() => parseJsonLengthHeader('-1')).message).toContain('is not a byte count');
    expect(parseJsonLengthHeader(undefined)).toBeNull();
    expect(parseJsonLengthHeader(['7'])).toBe(7);
    const body = input({ data: [1, 2, 3, 4] });
    expect(protocolError(() => decodeInferRequest(body, body.byteLength + 1)).message).toContain(`says ${body.byteLength + 1} bytes of JSON`);
    expect(protocolError(() => decodeInferRequest(body, 5)).message).toContain('request: malformed JSON');
  });

  it('rejects responses without outputs or with a broken output', () => {
    expect(protocolError(() => decodeInferResponse(json({ model_name: 'm' }), null)).message).toBe("response: 'outputs' must be an array");
    const bad = json({ outputs: [{ name: 'probs', datatype: 'FP32', shape: [3], data: [1, 2] }] });
    expect(protocolError(() => decodeInferResponse(bad, null)).message).toBe("output 'probs': 2 values, but shape [3] needs 3");
    expect(protocolError(() => decodeInferResponse(Buffer.from('[1]'), null)).message).toBe('response: the body must be a JSON object');
  });
});

describe('a batch request written straight into one body', () => {
  const inputs = [
    { name: 'image', type: 'float32' },
    { name: 'mask', type: 'int64' },
  ];
  const samples = [0, 1, 2].map((i) => ({
    image: { data: new Float32Array([i, i + 0.5, -i]), dims: [3] },
    mask: { data: new BigInt64Array([BigInt(i), -1n]), dims: [2] },
  }));
  const encoding = { binaryInputs: true, binaryOutputs: true };

  it('is byte for byte the body of the stacked batch, in a buffer of the length asked for', () => {
    const stacked = encodeInferRequest(samplesToWire(samples, inputs, true), encoding);
    const asked: number[] = [];
    const direct = encodeBinaryRequest(samplesToRows(samples, inputs, true), encoding, (bytes) => {
      asked.push(bytes);
      return Buffer.alloc(bytes, 0xee);
    });
    expect(asked).toEqual([stacked.body.byteLength]);
    expect(direct.body.equals(stacked.body)).toBe(true);
    expect(direct.headers).toEqual(stacked.headers);
  });

  it('decodes to the samples, rows in order', () => {
    const { body, headers } = encodeBinaryRequest(samplesToRows(samples, inputs, true), encoding, (bytes) => Buffer.alloc(bytes));
    const decoded = decodeInferRequest(body, Number(headers[BINARY_HEADER]));
    expect(decoded.inputs.map((t) => t.shape)).toEqual([
      [3, 3],
      [3, 2],
    ]);
    expect(Array.from(decoded.inputs[0]!.data as Float32Array)).toEqual([0, 0.5, -0, 1, 1.5, -1, 2, 2.5, -2]);
    expect(Array.from(decoded.inputs[1]!.data as BigInt64Array)).toEqual([0n, -1n, 1n, -1n, 2n, -1n]);
  });
});

describe('binary tensors decoded from a body', () => {
  const data = new Float32Array([1.5, -2, 3.25, 4]);
  const { body, headers } = encodeInferRequest([{ name: 'x', datatype: 'FP32', shape: [1, 4], data }], { binaryInputs: true, binaryOutputs: false });
  const jsonLength = Number(headers[BINARY_HEADER]);

  /** The same body placed so that its binary part starts `shift` bytes past a multiple of 8. */
  function placed(shift: number): Buffer {
    const pad = (((8 - (jsonLength % 8)) % 8) + shift) % 8;
    const copy = Buffer.from(new ArrayBuffer(pad + body.byteLength), pad, body.byteLength);
    body.copy(copy);
    return copy;
  }

  it('are views of the body where their elements are aligned: no copy', () => {
    const aligned = placed(0);
    const tensor = decodeInferRequest(aligned, jsonLength).inputs[0]!;
    expect(tensor.data.buffer).toBe(aligned.buffer);
    expect(Array.from(tensor.data as Float32Array)).toEqual([1.5, -2, 3.25, 4]);
  });

  it('are copies where they are not, with the same values', () => {
    const misaligned = placed(2);
    const tensor = decodeInferRequest(misaligned, jsonLength).inputs[0]!;
    expect(tensor.data.buffer).not.toBe(misaligned.buffer);
    expect(tensor.data.byteOffset % 4).toBe(0);
    expect(Array.from(tensor.data as Float32Array)).toEqual([1.5, -2, 3.25, 4]);
  });
});
