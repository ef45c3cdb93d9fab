import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeInferRequest } from '../../src/kserve/http-codec.js';
import { BINARY_HEADER } from '../../src/kserve/types.js';
import type { RunningServer } from '../../src/serve/start-server.js';
import { directReference, FakeModel, fakeRequest, httpUrl, startFake, startFromFlags, until } from './serve-helpers.js';

const image = (shape: number[], datatype = 'FP32', name = 'image') => ({ name, datatype, shape, data: new Array(shape.reduce((a, b) => a * b, 1)).fill(0.5) });

/** Reads an error response: status, and the message of its JSON {"error": ...} body. */
async function errorOf(response: Response): Promise<{ status: number; error: string }> {
  const body = (await response.json()) as { error?: unknown };
  expect(typeof body.error).toBe('string');
  return { status: response.status, error: body.error as string };
}

describe('mlbench serve over HTTP: requests it refuses', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    server = await startFromFlags({ 'grpc-port': -1, 'max-batch': 4, 'max-request-mb': 1 });
    await server.ready;
    url = httpUrl(server);
  });
  afterAll(async () => server?.close());

  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { method: 'POST', body, headers });
  const infer = (json: unknown) => post('/v2/models/shapes-cnn/infer', JSON.stringify(json));

  it.each([
    ['an unknown model', () => post('/v2/models/nope/infer', '{}'), 404, /unknown model 'nope' \(this server serves 'shapes-cnn'\)/],
    ['an unknown version', () => post('/v2/models/shapes-cnn/versions/2/infer', '{}'), 404, /no version '2'/],
    ['an unknown input name', () => infer({ inputs: [image([1, 3, 32, 32], 'FP32', 'pixels')] }), 400, /no input named 'pixels' \(its inputs: image\)/],
    ['an input given twice', () => infer({ inputs: [image([1, 3, 32, 32]), image([1, 3, 32, 32])] }), 400, /input 'image' is given twice/],
    ['the wrong datatype', () => infer({ inputs: [image([1, 3, 32, 32], 'FP64')] }), 400, /input 'image': datatype FP64, but the model takes FP32/],
    ['an unsupported datatype', () => infer({ inputs: [image([1, 3, 32, 32], 'BYTES')] }), 400, /datatype "BYTES" is not supported/],
    ['the wrong rank', () => infer({ inputs: [image([1, 3, 1024])] }), 400, /shape \[1, 3, 1024\] has 3 dimensions, but the model takes 4/],
    ['a wrong fixed dimension', () => infer({ inputs: [image([1, 3, 32, 31])] }), 400, /dimension 3 is 31, but the model fixes it at 32/],
    ['data that does not fill the shape', () => infer({ inputs: [{ ...image([1, 3, 32, 32]), data: [1, 2, 3] }] }), 400, /3 values, but shape \[1, 3, 32, 32\] needs 3072/],
    ['more rows than the max batch', () => infer({ inputs: [image([5, 3, 32, 32])] }), 400, /5 rows, more than this server's max batch of 4/],
    ['a zero batch', () => infer({ inputs: [image([0, 3, 32, 32])] }), 400, /batch dimension of 'image' is 0/],
    ['an unknown output', () => infer({ inputs: [image([1, 3, 32, 32])], outputs: [{ name: 'probs' }] }), 400, /no output named 'probs' \(its outputs: logits\)/],
    ['no inputs', () => infer({ inputs: [] }), 400, /'inputs' must be a non-empty array/],
    ['malformed JSON', () => post('/v2/models/shapes-cnn/infer', '{"inputs": ['), 400, /malformed JSON/],
    ['a JSON length past the body', () => post('/v2/models/shapes-cnn/infer', '{}', { [BINARY_HEADER]: '100' }), 400, /says 100 bytes of JSON, but the body has 2/],
    ['a JSON length that is no number', () => post('/v2/models/shapes-cnn/infer', '{}', { [BINARY_HEADER]: 'abc' }), 400, /"abc" is not a byte count/],
    ['an unknown path', () => fetch(`${url}/v1/models`), 404, /no endpoint GET \/v1\/models/],
    ['an unknown model for metadata', () => fetch(`${url}/v2/models/nope`), 404, /unknown model 'nope'/],
  ] as const)('%s', async (_what, send, status, message) => {
    const { status: got, error } = await errorOf(await send());
    expect(got).toBe(status);
    expect(error).toMatch(message);
  });

  it('binary data that runs past the body, or is left over, is a 400 naming the tensor', async () => {
    const direct = await directReference();
    try {
      const { body, headers } = encodeInferRequest(direct.wire([0]), { binaryInputs: true, binaryOutputs: false });
      const short = await errorOf(await post('/v2/models/shapes-cnn/infer', body.subarray(0, body.byteLength - 4), headers));
      expect(short.status).toBe(400);
      expect(short.error).toMatch(/input 'image': binary_data_size 12288 runs past the end of the body/);
      const extra = await errorOf(await post('/v2/models/shapes-cnn/infer', Buffer.concat([body, Buffer.alloc(8)]), headers));
      expect(extra.status).toBe(400);
      expect(extra.error).toMatch(/8 bytes of binary data after the last binary tensor/);
    } finally {
      await direct.dispose();
    }
  });

  it('a wrong method is a 405 with Allow', async () => {
    const response = await fetch(`${url}/v2/models/shapes-cnn/infer`);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await errorOf(response)).toEqual({ status: 405, error: 'GET /v2/models/shapes-cnn/infer: this endpoint takes POST' });
  });

  it('a body over --max-request-mb is a 413, by Content-Length or while streaming, and the server goes on', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const declared = await errorOf(await post('/v2/models/shapes-cnn/infer', big));
    expect(declared.status).toBe(413);
    expect(declared.error).toMatch(/over this server's limit of 1048576 bytes \(--max-request-mb\)/);
    // Chunked: no Content-Length, so the limit is found while reading.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${url}/v2/models/shapes-cnn/infer`, { method: 'POST' }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      for (let i = 0; i < 32; i++) req.write(Buffer.alloc(64 * 1024, 0x20));
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error).toMatch(/over this server's limit/);
    expect((await infer({ inputs: [image([1, 3, 32, 32])] })).status).toBe(200);
  });

  it('stays up after every refusal', async () => {
    const response = await infer({ inputs: [image([1, 3, 32, 32])] });
    expect(response.status).toBe(200);
    expect((await fetch(`${url}/v2/health/ready`)).status).toBe(200);
  });
});

describe('mlbench serve over HTTP: readiness, admission control and runtime failures', () => {
  it('is live at once, and ready only after the model is loaded and warmed up', async () => {
    let release = (): void => {};
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const model = new FakeModel();
    const server = await startFake(model, { holdReadyUntil: hold, grpcPort: null });
    const url = httpUrl(server);
    try {
      expect((await fetch(`${url}/v2/health/live`)).status).toBe(200);
      const notReady = await errorOf(await fetch(`${url}/v2/health/ready`));
      expect(notReady).toEqual({ status: 503, error: 'not ready: warming up the model' });
      expect((await fetch(`${url}/v2/models/fake/ready`)).status).toBe(503);
      const early = await errorOf(await fetch(`${url}/v2/models/fake/infer`, { method: 'POST', body: JSON.stringify(fakeRequest(1)) }));
      expect(early.status).toBe(503);
      expect(early.error).toMatch(/model 'fake' is not ready/);
      expect(await (await fetch(`${url}/v2/repository/index`, { method: 'POST' })).json()).toEqual([
        { name: 'fake', version: '1', state: 'LOADING', reason: 'warming up the model' },
      ]);
      release();
      await server.ready;
      expect((await fetch(`${url}/v2/health/ready`)).status).toBe(200);
      expect((await fetch(`${url}/v2/models/fake/ready`)).status).toBe(200);
      expect(model.executions).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('refuses at once with 503 and Retry-After when --max-queue requests are waiting, and counts the refusal', async () => {
    const model = new FakeModel();
    const server = await startFake(model, { maxQueue: 1, grpcPort: null });
    await server.ready;
    const url = httpUrl(server);
    const send = (value: number) => fetch(`${url}/v2/models/fake/infer`, { method: 'POST', body: JSON.stringify(fakeRequest(1, value)) });
    try {
      const release = model.hold();
      const started = model.nextExecution();
      const executing = send(1);
      await started;
      const queued = send(2);
      await until(() => server.status().queuedRequests === 1);
      const refused = await send(3);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect((await errorOf(refused)).error).toMatch(/queue is full \(1 requests waiting, --max-queue\)/);
      release();
      expect((await executing).status).toBe(200);
      const answer = (await (await queued).json()) as { outputs: { data: number[] }[] };
      expect(answer.outputs[0]!.data).toEqual([4, 4]);
      expect(server.status()).toMatchObject({ refused: 1, success: { count: 2 } });
      expect(model.executions).toEqual([1, 1]);
    } finally {
      await server.close();
    }
  });

  it('answers 500 naming the failure when the runtime throws, and stays up', async () => {
    const model = new FakeModel();
    const server = await startFake(model, { grpcPort: null });
    await server.ready;
    const send = (value: number) => fetch(`${httpUrl(server)}/v2/models/fake/infer`, { method: 'POST', body: JSON.stringify(fakeRequest(1, value)) });
    try {
      expect(await errorOf(await send(666))).toEqual({ status: 500, error: 'inference failed: fake runtime: 666 in the input' });
      expect((await send(1)).status).toBe(200);
      expect(server.status()).toMatchObject({ fail: { count: 1 }, success: { count: 1 } });
    } finally {
      await server.close();
    }
  });
});
