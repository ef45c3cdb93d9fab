import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGrpcResponse, toGrpcRequest } from '../../src/kserve/grpc-codec.js';
import { type GrpcInferRequest, type GrpcInferResponse, inferenceService } from '../../src/kserve/grpc-service.js';
import { SERVER_TIMING_PARAMETERS } from '../../src/kserve/types.js';
import type { RunningServer } from '../../src/serve/start-server.js';
import { directReference, FakeModel, startFake, startFromFlags, until } from './serve-helpers.js';

type Client = grpc.Client & Record<string, (request: unknown, callback: (error: grpc.ServiceError | null, response: unknown) => void) => void>;

function connect(server: RunningServer): Client {
  const { Client } = inferenceService();
  return new Client(`127.0.0.1:${server.grpc!.port}`, grpc.credentials.createInsecure()) as unknown as Client;
}

/** One unary call; resolves with the response or the gRPC error. */
function call<T>(client: Client, method: string, request: unknown): Promise<{ response: T | null; error: grpc.ServiceError | null }> {
  return new Promise((resolve) => {
    client[method]!(request, (error, response) => resolve({ response: (response ?? null) as T | null, error }));
  });
}

async function ok<T>(client: Client, method: string, request: unknown): Promise<T> {
  const { response, error } = await call<T>(client, method, request);
  if (error) throw error;
  return response!;
}

describe('mlbench serve over gRPC: the built-in model', () => {
  let server: RunningServer;
  let client: Client;
  let direct: Awaited<ReturnType<typeof directReference>>;

  beforeAll(async () => {
    [server, direct] = await Promise.all([startFromFlags({ 'http-port': -1, 'max-batch': 4 }), directReference()]);
    await server.ready;
    client = connect(server);
  });
  afterAll(async () => {
    client?.close();
    await Promise.all([server?.close(), direct?.dispose()]);
  });

  it('answers liveness, readiness, server and model metadata', async () => {
    expect(await ok(client, 'ServerLive', {})).toEqual({ live: true });
    expect(await ok(client, 'ServerReady', {})).toEqual({ ready: true });
    expect(await ok(client, 'ModelReady', { name: 'shapes-cnn', version: '' })).toEqual({ ready: true });
    expect(await ok(client, 'ServerMetadata', {})).toMatchObject({ name: 'mlbench', extensions: ['binary_tensor_data', 'statistics'] });
    expect(await ok(client, 'ModelMetadata', { name: 'shapes-cnn', version: '' })).toEqual({
      name: 'shapes-cnn',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'image', datatype: 'FP32', shape: [-1, 3, 32, 32] }],
      outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 10] }],
    });
    expect(await ok(client, 'RepositoryIndex', { repository_name: '', ready: false })).toEqual({
      models: [{ name: 'shapes-cnn', version: '1', state: 'READY', reason: '' }],
    });
  });

  it('ModelInfer with raw contents gives exactly what onnxruntime gives run directly, with the server timing', async () => {
    const indices = [0, 1];
    const response = fromGrpcResponse(await ok<GrpcInferResponse>(client, 'ModelInfer', toGrpcRequest('shapes-cnn', '', direct.wire(indices), 'g-1')));
    expect(response.id).toBe('g-1');
    expect(response.outputs.map((o) => [o.name, o.datatype, o.shape])).toEqual([['logits', 'FP32', [2, 10]]]);
    expect(response.outputs[0]!.data).toEqual(await direct.logits(indices));
    expect(response.parameters[SERVER_TIMING_PARAMETERS.batchSize]).toBe(2);
    expect(response.parameters[SERVER_TIMING_PARAMETERS.computeNs]).toBeGreaterThan(0);
    expect(response.parameters[SERVER_TIMING_PARAMETERS.queueNs]).toBeGreaterThanOrEqual(0);
  });

  it('ModelInfer with typed fp32_contents gives the same outputs', async () => {
    const [tensor] = direct.wire([3]);
    const request = {
      model_name: 'shapes-cnn',
      model_version: '1',
      id: '',
      inputs: [{ name: 'image', datatype: 'FP32', shape: [1, 3, 32, 32], contents: { fp32_contents: Array.from(tensor!.data as Float32Array) } }],
      raw_input_contents: [],
    };
    const response = fromGrpcResponse(await ok<GrpcInferResponse>(client, 'ModelInfer', request));
    expect(response.outputs[0]!.data).toEqual(await direct.logits([3]));
  });

  it('bad requests are INVALID_ARGUMENT, an unknown model NOT_FOUND, each naming the problem', async () => {
    const wire = direct.wire([0]);
    const wrongShape: GrpcInferRequest = { ...toGrpcRequest('shapes-cnn', '', wire), inputs: [{ name: 'image', datatype: 'FP32', shape: [1, 3, 64, 16] }] };
    const cases: [GrpcInferRequest, grpc.status, RegExp][] = [
      [wrongShape, grpc.status.INVALID_ARGUMENT, /dimension 2 is 64, but the model fixes it at 32/],
      [{ ...toGrpcRequest('shapes-cnn', '', wire), raw_input_contents: [Buffer.alloc(10)] }, grpc.status.INVALID_ARGUMENT, /10 bytes of data, but shape \[1, 3, 32, 32\] of FP32 needs 12288/],
      [{ ...toGrpcRequest('shapes-cnn', '', wire), inputs: [{ name: 'image', datatype: 'INT32', shape: [1, 3, 32, 32] }] }, grpc.status.INVALID_ARGUMENT, /datatype INT32, but the model takes FP32/],
      [{ ...toGrpcRequest('shapes-cnn', '', wire), inputs: [], raw_input_contents: [] }, grpc.status.INVALID_ARGUMENT, /no inputs/],
      [toGrpcRequest('shapes-cnn', '', direct.wire([0, 1, 2, 3, 4])), grpc.status.INVALID_ARGUMENT, /5 rows, more than this server's max batch of 4/],
      [toGrpcRequest('nope', '', wire), grpc.status.NOT_FOUND, /unknown model 'nope'/],
      [toGrpcRequest('shapes-cnn', '7', wire), grpc.status.NOT_FOUND, /no version '7'/],
    ];
    for (const [request, code, message] of cases) {
      const { error } = await call(client, 'ModelInfer', request);
      expect(error?.code).toBe(code);
      expect(error?.details).toMatch(message);
    }
    const { error } = await call(client, 'ModelMetadata', { name: 'nope', version: '' });
    expect(error?.code).toBe(grpc.status.NOT_FOUND);
    expect(await ok(client, 'ServerReady', {})).toEqual({ ready: true });
  });
});

describe('mlbench serve over gRPC: readiness and admission control', () => {
  it('UNAVAILABLE before the model is ready; RESOURCE_EXHAUSTED when the queue is full', async () => {
    let release = (): void => {};
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const model = new FakeModel();
    const server = await startFake(model, { httpPort: null, maxQueue: 1, holdReadyUntil: hold });
    const client = connect(server);
    const request = (value: number) => ({
      model_name: 'fake',
      model_version: '',
      id: '',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 2] }],
      raw_input_contents: [Buffer.from(new Float32Array([value, value]).buffer)],
    });
    try {
      expect(await ok(client, 'ServerReady', {})).toEqual({ ready: false });
      const early = await call(client, 'ModelInfer', request(1));
      expect(early.error?.code).toBe(grpc.status.UNAVAILABLE);
      expect(early.error?.details).toMatch(/not ready/);
      release();
      await server.ready;

      const unblock = model.hold();
      const started = model.nextExecution();
      const executing = call<GrpcInferResponse>(client, 'ModelInfer', request(1));
      await started;
      const queued = call<GrpcInferResponse>(client, 'ModelInfer', request(2));
      await until(() => server.status().queuedRequests === 1);
      const refused = await call(client, 'ModelInfer', request(3));
      expect(refused.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      expect(refused.error?.details).toMatch(/queue is full/);
      unblock();
      expect((await executing).error).toBeNull();
      const answer = fromGrpcResponse((await queued).response!);
      expect(Array.from(answer.outputs[0]!.data as Float32Array)).toEqual([4, 4]);
      expect(server.status().refused).toBe(1);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('a message over --max-request-mb is RESOURCE_EXHAUSTED, and the server goes on', async () => {
    const server = await startFake(new FakeModel(), { httpPort: null, maxRequestBytes: 1024 });
    await server.ready;
    const client = connect(server);
    const request = (values: number) => ({
      model_name: 'fake',
      model_version: '',
      id: '',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [values / 2, 2] }],
      raw_input_contents: [Buffer.from(new Float32Array(values).fill(1).buffer)],
    });
    try {
      const big = await call(client, 'ModelInfer', request(1024));
      expect(big.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      expect((await call(client, 'ModelInfer', request(8))).error).toBeNull();
    } finally {
      client.close();
      await server.close();
    }
  });
});
