import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { inferenceService } from '../../src/kserve/grpc-service.js';
import { FakeModel, fakeRequest, httpUrl, startFake, until } from './serve-helpers.js';

type Client = grpc.Client & Record<string, (request: unknown, callback: (error: grpc.ServiceError | null, response: unknown) => void) => void>;

const grpcRequest = (value: number) => ({
  model_name: 'fake',
  model_version: '',
  id: '',
  inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 2] }],
  raw_input_contents: [Buffer.from(new Float32Array([value, value]).buffer)],
});

describe('graceful shutdown', () => {
  it('refuses new inferences, finishes those executing and queued, then closes both transports', async () => {
    const model = new FakeModel();
    const server = await startFake(model);
    await server.ready;
    const { Client } = inferenceService();
    const client = new Client(`127.0.0.1:${server.grpc!.port}`, grpc.credentials.createInsecure()) as unknown as Client;
    const grpcCall = (value: number) =>
      new Promise<{ error: grpc.ServiceError | null; response: unknown }>((resolve) => client['ModelInfer']!(grpcRequest(value), (error, response) => resolve({ error, response })));
    try {
      const release = model.hold();
      const started = model.nextExecution();
      const executing = fetch(`${httpUrl(server)}/v2/models/fake/infer`, { method: 'POST', body: JSON.stringify(fakeRequest(1)) });
      await started;
      const queued = grpcCall(2);
      await until(() => server.status().queuedRequests === 1);

      const closed = server.close();
      const late = await grpcCall(3);
      expect(late.error?.code).toBe(grpc.status.UNAVAILABLE);
      expect(server.status().state).toBe('UNAVAILABLE');

      release();
      expect((await executing).status).toBe(200);
      expect((await queued).error).toBeNull();
      const final = await closed;
      expect(final.success.count).toBe(2);
      expect(final.batchSizes).toEqual({ '1': 2 });
      await expect(fetch(`${httpUrl(server)}/v2/health/live`)).rejects.toThrow();
    } finally {
      client.close();
    }
  });

  it('close() during loading waits for the model and disposes of it', async () => {
    let loaded = (): void => {};
    const model = new FakeModel();
    let disposed = false;
    model.dispose = async () => {
      disposed = true;
    };
    const server = await startFake(model, {
      load: () =>
        new Promise((resolve) => {
          loaded = () => resolve(model);
        }),
    });
    const closed = server.close();
    loaded();
    await closed;
    expect(disposed).toBe(true);
  });
});
