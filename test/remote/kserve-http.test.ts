import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { KserveHttpBackend } from '../../src/remote/kserve-http-backend.js';
import { FAKE_OUTPUT, fakeModelOutput, startV2TestServer, type V2TestServer, type V2TestServerOptions } from '../helpers/v2-test-server.js';
import { rejection, remoteOptions, sample, samples, stacked, values } from './fixtures.js';

let server: V2TestServer | null = null;
let backend: KserveHttpBackend | null = null;

async function start(serverOptions: V2TestServerOptions = {}, clientOptions: Parameters<typeof remoteOptions>[1] = {}): Promise<KserveHttpBackend> {
  server = await startV2TestServer(serverOptions);
  backend = await KserveHttpBackend.create(remoteOptions(server.url, clientOptions));
  return backend;
}

afterEach(async () => {
  await backend?.dispose();
  await server?.close();
  backend = null;
  server = null;
});

describe('kserve-http: inference', () => {
  for (const binary of [false, true]) {
    it(`answers a batch correctly with ${binary ? 'binary' : 'JSON'} tensors`, async () => {
      const client = await start({}, { binary });
      const batch = samples(3, 1);
      const outputs = await client.infer(batch);
      expect(outputs[FAKE_OUTPUT]!.dims).toEqual([3, 2]);
      expect(values(outputs[FAKE_OUTPUT]!.data)).toEqual(Array.from(fakeModelOutput(stacked(batch))));
      expect(server!.lastHeaders()['content-type']).toBe(binary ? 'application/octet-stream' : 'application/json');
    });
  }

  it('reads inputs, dynamic batch and the server version from the metadata', async () => {
    const client = await start({}, { connections: 3, requestTimeoutMs: 5000, retries: 2 });
    expect(client.inputs).toEqual([{ name: 'input', type: 'float32', declaredShape: ['batch', 4] }]);
    expect(client.dynamicBatch).toBe(true);
    expect(client.modelName).toBe('fake');
    expect(client.description).toMatchObject({
      name: 'kserve-http',
      versions: { server: 'v2-test-server 0.0.1' },
      settings: { url: server!.url, model: 'fake', modelVersion: '', binary: false, connections: 3, requestTimeoutMs: 5000, retries: 2, authHeaders: [] },
      coldStartNs: null,
    });
    expect(client.description.versions['undici']).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('sends one sample as it is to a model without a batch dimension', async () => {
    const client = await start({ dynamicBatch: false });
    expect(client.dynamicBatch).toBe(false);
    expect(client.inputs[0]!.declaredShape).toEqual([4]);
    const outputs = await client.infer([sample(2)]);
    expect(outputs[FAKE_OUTPUT]!.dims).toEqual([2]);
    expect(values(outputs[FAKE_OUTPUT]!.data)).toEqual([6.5, 4]);
  });

  it('serves the model under a version path when one is given', async () => {
    const client = await start({}, { modelVersion: '1' });
    await client.infer([sample(1)]);
    const wrong = await rejection(KserveHttpBackend.create(remoteOptions(server!.url, { modelVersion: '7' })));
    expect(wrong).toBeInstanceOf(UserError);
    expect(wrong.message).toContain("model 'fake' version 7");
  });
});

describe('kserve-http: before the run', () => {
  it("uses the server's only model when none is named", async () => {
    const client = await start({ models: ['resnet'] }, { model: null });
    expect(client.modelName).toBe('resnet');
    expect(client.description.settings['model']).toBe('resnet');
    await client.infer([sample(0)]);
  });

  it('lists the models when the server has several and none is named', async () => {
    server = await startV2TestServer({ models: ['a', 'b'] });
    const error = await rejection(KserveHttpBackend.create(remoteOptions(server.url, { model: null })));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('serves 2 models: a, b');
    expect(error.message).toContain('--model NAME');
  });

  it('asks for --model when the server has no repository index', async () => {
    server = await startV2TestServer({ repositoryIndex: false });
    const error = await rejection(KserveHttpBackend.create(remoteOptions(server.url, { model: null })));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('cannot list its models');
    expect(error.message).toContain('pass --model NAME');
  });

  it('names the models served when the one asked for is unknown', async () => {
    server = await startV2TestServer({ models: ['a', 'b'] });
    const error = await rejection(KserveHttpBackend.create(remoteOptions(server.url, { model: 'c' })));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain("does not serve model 'c'");
    expect(error.message).toContain('it serves: a, b');
  });

  it('says which URL cannot be reached, and why', async () => {
    const dead = await startV2TestServer();
    const url = dead.url;
    await dead.close();
    const error = await rejection(KserveHttpBackend.create(remoteOptions(url)));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain(`cannot reach ${url}`);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('says the server is not ready, and is fine once it is', async () => {
    server = await startV2TestServer({ ready: false });
    const error = await rejection(KserveHttpBackend.create(remoteOptions(server.url)));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('answered not ready');
    server.setReady(true);
    backend = await KserveHttpBackend.create(remoteOptions(server.url));
  });

  it('rejects URLs it cannot use, with an example', async () => {
    for (const [url, words] of [
      ['127.0.0.1:8000', 'http:// or https://'],
      ['grpc://127.0.0.1:8001', 'kserve-grpc'],
      ['http://user:secret@127.0.0.1:8000', 'credentials do not go in the URL'],
      ['http://', 'not a valid URL'],
    ] as const) {
      const error = await rejection(KserveHttpBackend.create(remoteOptions(url)));
      expect(error).toBeInstanceOf(UserError);
      expect(error.message).toContain(words);
      expect(error.message).not.toContain('secret');
    }
  });
});
