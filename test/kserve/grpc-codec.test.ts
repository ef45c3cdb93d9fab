import { describe, expect, it } from 'vitest';
import type { TensorData } from '../../src/backends/types.js';
import { fromGrpcRequest, fromGrpcResponse, toGrpcRequest, toGrpcResponse } from '../../src/kserve/grpc-codec.js';
import { type GrpcInferRequest, type GrpcInferResponse, inferenceService } from '../../src/kserve/grpc-service.js';
import { ProtocolError } from '../../src/kserve/protocol-error.js';
import type { WireTensor } from '../../src/kserve/types.js';

/** Through protobuf bytes and back, as the wire carries them (proto-loader's options included). */
function overTheWire<T>(kind: 'request' | 'response', message: T): T {
  const method = inferenceService().service['ModelInfer']!;
  if (kind === 'request') return method.requestDeserialize(method.requestSerialize(message)) as T;
  return method.responseDeserialize(method.responseSerialize(message)) as T;
}

const TENSORS: WireTensor[] = [
  { name: 'f32', datatype: 'FP32', shape: [2, 3], data: new Float32Array([1, -2.5, 3, 4, 5, Math.fround(0.1)]) },
  { name: 'i64', datatype: 'INT64', shape: [3], data: new BigInt64Array([-(2n ** 63n), 0n, 2n ** 63n - 1n]) },
  { name: 'f16', datatype: 'FP16', shape: [2], data: new Uint16Array([0x3c00, 0x7bff]) },
  { name: 'b', datatype: 'BOOL', shape: [1, 2], data: new Uint8Array([1, 0]) },
];

function expectSame(actual: WireTensor | undefined, expected: WireTensor): void {
  expect(actual).toMatchObject({ name: expected.name, datatype: expected.datatype, shape: expected.shape });
  expect(actual!.data.constructor).toBe(expected.data.constructor);
  expect(Array.from(actual!.data as ArrayLike<number | bigint>)).toEqual(Array.from(expected.data as ArrayLike<number | bigint>));
}

describe('gRPC codec', () => {
  it('round-trips a request through protobuf with raw contents', () => {
    const message = overTheWire('request', toGrpcRequest('resnet', '3', TENSORS, 'q7'));
    expect(message).toMatchObject({ model_name: 'resnet', model_version: '3', id: 'q7' });
    expect(message.raw_input_contents).toHaveLength(TENSORS.length);
    const decoded = fromGrpcRequest(message);
    expect(decoded.id).toBe('q7');
    for (const [i, t] of TENSORS.entries()) expectSame(decoded.inputs[i], t);
  });

  it('round-trips a response through protobuf, parameters included', () => {
    const parameters = { mlbench_server_queue_ns: 1_500_000, mlbench_server_compute_ns: 250, mlbench_server_batch_size: 4, ratio: 0.5, tag: 'x', hot: true };
    const message = overTheWire('response', toGrpcResponse({ modelName: 'm', modelVersion: null, id: null, outputs: TENSORS, parameters }));
    const decoded = fromGrpcResponse(message);
    expect(decoded).toMatchObject({ modelName: 'm', modelVersion: null, id: null, parameters });
    for (const [i, t] of TENSORS.entries()) expectSame(decoded.outputs[i], t);
  });

  it('reads typed contents, each datatype from its own field', () => {
    const response: GrpcInferResponse = {
      model_name: 'm',
      model_version: '',
      id: '',
      raw_output_contents: [],
      outputs: [
        { name: 'f', datatype: 'FP32', shape: [2], contents: { fp32_contents: [1.5, -2] } },
        { name: 'd', datatype: 'FP64', shape: [1], contents: { fp64_contents: [Math.PI] } },
        { name: 'i8', datatype: 'INT8', shape: [2], contents: { int_contents: [-128, 127] } },
        { name: 'i32', datatype: 'INT32', shape: [1, 2], contents: { int_contents: [-5, 6] } },
        { name: 'i64', datatype: 'INT64', shape: [2], contents: { int64_contents: [-(2 ** 40), 2 ** 40] } },
        { name: 'u16', datatype: 'UINT16', shape: [1], contents: { uint_contents: [65_535] } },
        { name: 'u64', datatype: 'UINT64', shape: [1], contents: { uint64_contents: [2 ** 50] } },
        { name: 'b', datatype: 'BOOL', shape: [3], contents: { bool_contents: [true, false, true] } },
      ],
    };
    const decoded = fromGrpcResponse(overTheWire('response', response));
    const data = Object.fromEntries(decoded.outputs.map((t) => [t.name, t.data]));
    expect(data).toEqual({
      f: new Float32Array([1.5, -2]),
      d: new Float64Array([Math.PI]),
      i8: new Int8Array([-128, 127]),
      i32: new Int32Array([-5, 6]),
      i64: new BigInt64Array([-(2n ** 40n), 2n ** 40n]),
      u16: new Uint16Array([65_535]),
      u64: new BigUint64Array([2n ** 50n]),
      b: new Uint8Array([1, 0, 1]),
    } satisfies Record<string, TensorData>);
  });

  it('names the tensor of every malformed message', () => {
    const bad = (outputs: GrpcInferResponse['outputs'], raw: Buffer[] = []): string => {
      try {
        fromGrpcResponse({ model_name: 'm', model_version: '', id: '', outputs, raw_output_contents: raw });
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolError);
        return (error as Error).message;
      }
      throw new Error('expected a ProtocolError');
    };
    expect(bad([{ name: 'o', datatype: 'FP32', shape: [2] }], [Buffer.alloc(7)])).toBe("output 'o': 7 bytes of data, but shape [2] of FP32 needs 8");
    expect(bad([{ name: 'o', datatype: 'FP32', shape: [3], contents: { fp32_contents: [1] } }])).toBe("output 'o': 1 values, but shape [3] needs 3");
    expect(bad([{ name: 'o', datatype: 'BYTES', shape: [1] }], [Buffer.alloc(1)])).toContain("output 'o': datatype \"BYTES\" is not supported");
    expect(bad([{ name: 'o', datatype: 'FP16', shape: [1], contents: { fp32_contents: [1] } }])).toContain("output 'o': FP16 has no typed contents");
    expect(bad([{ name: 'o', datatype: 'FP32', shape: [1], contents: null }])).toBe("output 'o': neither contents nor raw contents");
    expect(bad([{ name: 'o', datatype: 'FP32', shape: [1] }, { name: 'p', datatype: 'FP32', shape: [1] }], [Buffer.alloc(4)])).toBe(
      'response: 1 raw_output_contents for 2 outputs',
    );
    const request: GrpcInferRequest = { model_name: 'm', model_version: '', id: '', inputs: [], raw_input_contents: [] };
    expect(() => fromGrpcRequest(request)).toThrow('request: no inputs');
  });
});
