import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeInferResponse, encodeInferRequest, parseJsonLengthHeader } from '../../src/kserve/http-codec.js';
import { BINARY_HEADER, SERVER_TIMING_PARAMETERS } from '../../src/kserve/types.js';
import type { RunningServer } from '../../src/serve/start-server.js';
import { directReference, httpUrl, startFromFlags } from './serve-helpers.js';

describe('mlbench serve over HTTP: the built-in model', () => {
  let server: RunningServer;
  let url: string;
  let direct: Awaited<ReturnType<typeof directReference>>;

  beforeAll(async () => {
    [server, direct] = await Promise.all([startFromFlags({ 'grpc-port': -1 }), directReference()]);
    await server.ready;
    url = httpUrl(server);
  });
  afterAll(async () => {
    await Promise.all([server?.close(), direct?.dispose()]);
  });

  it('answers server metadata, health and model metadata (-1 for the batch dimension)', async () => {
    const meta = await (await fetch(`${url}/v2`)).json();
    expect(meta).toMatchObject({ name: 'mlbench', extensions: expect.arrayContaining(['binary_tensor_data', 'statistics']) });
    expect(typeof (meta as { version: unknown }).version).toBe('string');
    expect((await fetch(`${url}/v2/health/live`)).status).toBe(200);
    expect((await fetch(`${url}/v2/health/ready`)).status).toBe(200);
    expect((await fetch(`${url}/v2/models/shapes-cnn/ready`)).status).toBe(200);
    const model = await (await fetch(`${url}/v2/models/shapes-cnn`)).json();
    expect(model).toEqual({
      name: 'shapes-cnn',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'image', datatype: 'FP32', shape: [-1, 3, 32, 32] }],
      outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 10] }],
    });
    expect(await (await fetch(`${url}/v2/models/shapes-cnn/versions/1`)).json()).toEqual(model);
  });

  it('JSON inference gives exactly what onnxruntime gives run directly, with the server timing', async () => {
    for (const indices of [[0], [1, 2, 3]]) {
      const { body, headers } = encodeInferRequest(direct.wire(indices), { binaryInputs: false, binaryOutputs: false, id: 'req-7' });
      const response = await fetch(`${url}/v2/models/shapes-cnn/infer`, { method: 'POST', body, headers });
      expect(response.status).toBe(200);
      const decoded = decodeInferResponse(Buffer.from(await response.arrayBuffer()), null);
      expect(decoded.id).toBe('req-7');
      expect(decoded.modelName).toBe('shapes-cnn');
      expect(decoded.outputs.map((o) => [o.name, o.datatype, o.shape])).toEqual([['logits', 'FP32', [indices.length, 10]]]);
      expect(Array.from(decoded.outputs[0]!.data as Float32Array)).toEqual(Array.from(await direct.logits(indices)));
      const p = decoded.parameters;
      expect(p[SERVER_TIMING_PARAMETERS.batchSize]).toBe(indices.length);
      expect(p[SERVER_TIMING_PARAMETERS.queueNs]).toBeGreaterThanOrEqual(0);
      expect(p[SERVER_TIMING_PARAMETERS.computeNs]).toBeGreaterThan(0);
    }
  });

  it('binary tensor data in and out gives the same outputs, bit for bit', async () => {
    const indices = [4, 5];
    const { body, headers } = encodeInferRequest(direct.wire(indices), { binaryInputs: true, binaryOutputs: true });
    const response = await fetch(`${url}/v2/models/shapes-cnn/infer`, { method: 'POST', body, headers });
    expect(response.status).toBe(200);
    const jsonLength = parseJsonLengthHeader(response.headers.get(BINARY_HEADER) ?? undefined);
    expect(jsonLength).not.toBeNull();
    const decoded = decodeInferResponse(Buffer.from(await response.arrayBuffer()), jsonLength);
    expect(decoded.outputs[0]!.data).toEqual(await direct.logits(indices));
  });

  it('returns only the outputs asked for', async () => {
    const { body, headers } = encodeInferRequest(direct.wire([6]), { binaryInputs: true, binaryOutputs: false, outputs: ['logits'] });
    const response = await fetch(`${url}/v2/models/shapes-cnn/infer`, { method: 'POST', body, headers });
    const decoded = decodeInferResponse(Buffer.from(await response.arrayBuffer()), null);
    expect(decoded.outputs.map((o) => o.name)).toEqual(['logits']);
  });

  it("answers Triton's repository index", async () => {
    const response = await fetch(`${url}/v2/repository/index`, { method: 'POST', body: '{}' });
    expect(await response.json()).toEqual([{ name: 'shapes-cnn', version: '1', state: 'READY' }]);
    const onlyReady = await fetch(`${url}/v2/repository/index`, { method: 'POST', body: '{"ready": true}' });
    expect(await onlyReady.json()).toEqual([{ name: 'shapes-cnn', version: '1', state: 'READY' }]);
  });

  it('counts requests, failures, rows and executions in Triton-style statistics', async () => {
    type Stats = { model_stats: { inference_count: number; execution_count: number; inference_stats: Record<string, { count: number; ns: number }>; batch_stats: { batch_size: number; compute_infer: { count: number; ns: number } }[] }[] };
    const read = async (): Promise<Stats['model_stats'][number]> => ((await (await fetch(`${url}/v2/models/shapes-cnn/stats`)).json()) as Stats).model_stats[0]!;
    const before = await read();
    // Sequential requests with no batch window: each runs as its own execution.
    for (const indices of [[7], [8, 9], [10, 11, 12]]) {
      const { body, headers } = encodeInferRequest(direct.wire(indices), { binaryInputs: true, binaryOutputs: true });
      expect((await fetch(`${url}/v2/models/shapes-cnn/infer`, { method: 'POST', body, headers })).status).toBe(200);
    }
    expect((await fetch(`${url}/v2/models/shapes-cnn/infer`, { method: 'POST', body: '{"inputs": 3}' })).status).toBe(400);
    const after = await read();
    const delta = (key: string) => after.inference_stats[key]!.count - before.inference_stats[key]!.count;
    expect(delta('success')).toBe(3);
    expect(delta('fail')).toBe(1);
    for (const key of ['queue', 'compute_input', 'compute_infer', 'compute_output']) expect(delta(key)).toBe(3);
    for (const key of ['success', 'compute_input', 'compute_infer', 'compute_output']) expect(after.inference_stats[key]!.ns).toBeGreaterThan(before.inference_stats[key]!.ns);
    expect(after.inference_count - before.inference_count).toBe(6);
    expect(after.execution_count - before.execution_count).toBe(3);
    const executions = (s: typeof after, size: number) => s.batch_stats.find((b) => b.batch_size === size)?.compute_infer.count ?? 0;
    for (const size of [1, 2, 3]) expect(executions(after, size) - executions(before, size)).toBe(1);
  });
});

describe('mlbench serve over HTTP: concurrent requests', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startFromFlags({ 'grpc-port': -1, 'max-batch': 8, 'batch-window-ms': 200 });
    await server.ready;
  });
  afterAll(async () => server?.close());

  it('are batched together by the dynamic batcher', async () => {
    const direct = await directReference();
    try {
      const responses = await Promise.all(
        Array.from({ length: 16 }, async (_, i) => {
          const { body, headers } = encodeInferRequest(direct.wire([i]), { binaryInputs: true, binaryOutputs: true });
          const response = await fetch(`${httpUrl(server)}/v2/models/shapes-cnn/infer`, { method: 'POST', body, headers });
          expect(response.status).toBe(200);
          return decodeInferResponse(Buffer.from(await response.arrayBuffer()), parseJsonLengthHeader(response.headers.get(BINARY_HEADER) ?? undefined));
        }),
      );
      const batchSizes = responses.map((r) => r.parameters[SERVER_TIMING_PARAMETERS.batchSize] as number);
      expect(Math.max(...batchSizes)).toBeGreaterThan(1);
      for (const r of responses) expect(r.outputs[0]!.shape).toEqual([1, 10]);
      const formed = server.status().batchSizes;
      expect(Object.entries(formed).reduce((n, [rows, count]) => n + Number(rows) * count, 0)).toBe(16);
      expect(Object.keys(formed).some((rows) => Number(rows) > 1)).toBe(true);
    } finally {
      await direct.dispose();
    }
  });
});
