import { status as GrpcStatus } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { createRemoteBackend } from '../../src/remote/create-remote-backend.js';
import { KserveGrpcBackend } from '../../src/remote/kserve-grpc-backend.js';
import { RemoteError, type RemoteErrorKind, type RemoteOptions } from '../../src/remote/types.js';
import { FAKE_OUTPUT, fakeModelOutput, startV2TestServer, type V2TestServer, type V2TestServerOptions } from '../helpers/v2-test-server.js';
import { rejection, remoteOptions, sample, samples, stacked, values } from './fixtures.js';

let server: V2TestServer | null = null;
let backend: KserveGrpcBackend | null = null;

async function start(serverOptions: V2TestServerOptions = {}, clientOptions: Partial<RemoteOptions> = {}): Promise<KserveGrpcBackend> {
  server = await startV2TestServer({ ...serverOptions, grpc: true });
  backend = await KserveGrpcBackend.create(remoteOptions(address(), clientOptions));
  return backend;
}

/** The running test server's gRPC address. */
function address(): string {
  if (server?.grpcUrl == null) throw new Error('no gRPC test server');
  return server.grpcUrl;
}

afterEach(async () => {
  await backend?.dispose();
  await server?.close();
  backend = null;
  server = null;
});

async function kindOf(promise: Promise<unknown>): Promise<RemoteErrorKind> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(RemoteError);
  return (error as RemoteError).kind;
}

describe('kserve-grpc', () => {
  it('answers a batch correctly, with inputs and version from the metadata', async () => {
    const client = await start({ serverTiming: true }, { requestTimeoutMs: 5000 });
    expect(client.inputs).toEqual([{ name: 'input', type: 'float32', declaredShape: ['batch', 4] }]);
    expect(client.dynamicBatch).toBe(true);
    expect(client.description).toMatchObject({
      name: 'kserve-grpc',
      versions: { server: 'v2-test-server 0.0.1' },
      settings: { url: server!.grpcUrl, model: 'fake', requestTimeoutMs: 5000, retries: 0, authHeaders: [] },
    });
    expect(client.description.versions['@grpc/grpc-js']).toMatch(/^\d+\.\d+\.\d+/);
    const batch = samples(3, 2);
    const outputs = await client.infer(batch);
    expect(outputs[FAKE_OUTPUT]!.dims).toEqual([3, 2]);
    expect(values(outputs[FAKE_OUTPUT]!.data)).toEqual(Array.from(fakeModelOutput(stacked(batch))));
    const stats = client.stats();
    expect(stats).toMatchObject({ protocol: 'kserve-grpc', requests: 1 });
    expect(stats.networkAndServerNs?.count).toBe(1);
    expect(stats.serverComputeNs?.count).toBe(1);
  });

  it('takes grpc://host:port and is reachable through createRemoteBackend', async () => {
    server = await startV2TestServer({ grpc: true, dynamicBatch: false });
    const client = await createRemoteBackend('kserve-grpc', remoteOptions(`grpc://${server.grpcUrl}`));
    try {
      expect(client.dynamicBatch).toBe(false);
      const outputs = await client.infer([sample(1)]);
      expect(values(outputs[FAKE_OUTPUT]!.data)).toEqual([3.5, 2]);
    } finally {
      await client.dispose();
    }
  });

  it("discovers the server's only model, lists several, and asks for --model without an index", async () => {
    const client = await start({ models: ['solo'] }, { model: null });
    expect(client.modelName).toBe('solo');
    await server!.close();
    server = await startV2TestServer({ grpc: true, models: ['a', 'b'] });
    const several = await rejection(KserveGrpcBackend.create(remoteOptions(address(), { model: null })));
    expect(several).toBeInstanceOf(UserError);
    expect(several.message).toContain('serves 2 models: a, b');
    const unknown = await rejection(KserveGrpcBackend.create(remoteOptions(address(), { model: 'c' })));
    expect(unknown.message).toContain("does not serve model 'c'");
    expect(unknown.message).toContain('it serves: a, b');
    await server.close();
    server = await startV2TestServer({ grpc: true, repositoryIndex: false });
    const noIndex = await rejection(KserveGrpcBackend.create(remoteOptions(address(), { model: null })));
    expect(noIndex.message).toContain('UNIMPLEMENTED');
    expect(noIndex.message).toContain('pass --model NAME');
  });

  it('says which address cannot be reached, or that the server is not ready', async () => {
    const dead = await startV2TestServer({ grpc: true });
    const deadAddress = dead.grpcUrl!;
    await dead.close();
    const unreachable = await rejection(KserveGrpcBackend.create(remoteOptions(deadAddress)));
    expect(unreachable).toBeInstanceOf(UserError);
    expect(unreachable.message).toContain(`cannot reach ${deadAddress}`);
    expect(unreachable.message).toContain('UNAVAILABLE');
    server = await startV2TestServer({ grpc: true, ready: false });
    const notReady = await rejection(KserveGrpcBackend.create(remoteOptions(address())));
    expect(notReady.message).toContain('answered not ready');
    for (const url of ['http://127.0.0.1:8001', 'grpcs://127.0.0.1:8001', '127.0.0.1:8001/v2']) {
      expect(await rejection(KserveGrpcBackend.create(remoteOptions(url)))).toBeInstanceOf(UserError);
    }
  });

  it('classifies failures by status, retries the retryable ones, and counts them', async () => {
    const client = await start({}, { retries: 0 });
    const cases: [NonNullable<Parameters<V2TestServer['setFaults']>[0]['fail']>, RemoteErrorKind][] = [
      [{ every: 1, grpcCode: GrpcStatus.RESOURCE_EXHAUSTED }, 'refused'],
      [{ every: 1, grpcCode: GrpcStatus.INTERNAL }, 'server-error'],
      [{ every: 1, grpcCode: GrpcStatus.INVALID_ARGUMENT }, 'client-error'],
      [{ every: 1, grpcCode: GrpcStatus.UNAVAILABLE }, 'connection'],
    ];
    for (const [fail, kind] of cases) {
      server!.setFaults({ fail });
      expect(await kindOf(client.infer([sample(0)]))).toBe(kind);
    }
    server!.setFaults({ malformed: { every: 1 } });
    expect(await kindOf(client.infer([sample(0)]))).toBe('malformed');
    expect(client.stats().errorsByKind).toEqual({ refused: 1, 'server-error': 1, 'client-error': 1, connection: 1, timeout: 0, malformed: 1 });

    await client.dispose();
    backend = await KserveGrpcBackend.create(remoteOptions(address(), { retries: 1 }));
    server!.setFaults({ fail: { every: 2, grpcCode: GrpcStatus.RESOURCE_EXHAUSTED } });
    for (let i = 0; i < 3; i++) await backend.infer([sample(i)]);
    expect(backend.stats()).toMatchObject({ requests: 5, retries: 2, errorsByKind: { refused: 2 } });
  });

  it('times out at the deadline and fails at once when the server dies', async () => {
    const client = await start({ faults: { delayMs: 20_000 } }, { requestTimeoutMs: 200 });
    const started = performance.now();
    expect(await kindOf(client.infer([sample(0)]))).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(5000);

    await client.dispose();
    backend = await KserveGrpcBackend.create(remoteOptions(address()));
    const pending = [0, 1, 2].map((i) => kindOf(backend!.infer([sample(i)])));
    while (server!.inferRequests() < 4) await new Promise((resolve) => setTimeout(resolve, 5));
    const killedAt = performance.now();
    server!.kill();
    expect(await Promise.all(pending)).toEqual(['connection', 'connection', 'connection']);
    expect(performance.now() - killedAt).toBeLessThan(5000);
    expect(await kindOf(backend.infer([sample(0)]))).toBe('connection');
  });

  it('rejects requests still in flight when disposed, and every later one', async () => {
    const client = await start({ faults: { delayMs: 20_000 } });
    const pending = kindOf(client.infer([sample(0)]));
    while (server!.inferRequests() < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await client.dispose();
    expect(await pending).toBe('connection');
    expect(await kindOf(client.infer([sample(1)]))).toBe('connection');
  });

  it('sends auth headers as metadata and never shows their values', async () => {
    const secret = 'Bearer grpc-s3cr3t-token';
    const client = await start({}, { headers: { authorization: secret } });
    await client.infer([sample(0)]);
    expect(server!.lastHeaders()['authorization']).toBe(secret);
    server!.setFaults({ fail: { every: 1, grpcCode: GrpcStatus.UNAUTHENTICATED, message: `rejected ${secret}` } });
    const error = await rejection(client.infer([sample(0)]));
    expect(error.message).toBe('client-error: UNAUTHENTICATED: rejected <redacted>');
    expect(JSON.stringify([client.description, client.stats()])).not.toContain('s3cr3t');
    expect(client.description.settings['authHeaders']).toEqual(['authorization']);
  });
});
