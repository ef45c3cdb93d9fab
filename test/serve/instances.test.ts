import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeInferResponse, encodeInferRequest, parseJsonLengthHeader } from '../../src/kserve/http-codec.js';
import { BINARY_HEADER, SERVER_TIMING_PARAMETERS } from '../../src/kserve/types.js';
import { resolveServeOptions } from '../../src/serve/serve-options.js';
import type { RunningServer } from '../../src/serve/start-server.js';
import { directReference, httpUrl, serveFlags, startFromFlags } from './serve-helpers.js';

/** POSTs rows `indices` in binary and returns the logits and the batch size the server reports. */
async function infer(url: string, direct: Awaited<ReturnType<typeof directReference>>, indices: number[]): Promise<{ logits: Float32Array; batch: unknown }> {
  const { body, headers } = encodeInferRequest(direct.wire(indices), { binaryInputs: true, binaryOutputs: true });
  const response = await fetch(`${url}/v2/models/shapes-cnn/infer`, { method: 'POST', body, headers });
  expect(response.status).toBe(200);
  const decoded = decodeInferResponse(Buffer.from(await response.arrayBuffer()), parseJsonLengthHeader(response.headers.get(BINARY_HEADER) ?? undefined));
  return { logits: decoded.outputs[0]!.data as Float32Array, batch: decoded.parameters[SERVER_TIMING_PARAMETERS.batchSize] };
}

describe('mlbench serve --instances 2: the model on two worker threads', () => {
  let server: RunningServer;
  let url: string;
  let direct: Awaited<ReturnType<typeof directReference>>;

  beforeAll(async () => {
    [server, direct] = await Promise.all([startFromFlags({ 'grpc-port': -1, instances: 2, 'max-batch': 4, 'batch-window-ms': 0 }), directReference()]);
    await server.ready;
    url = httpUrl(server);
  });
  afterAll(async () => {
    await Promise.all([server?.close(), direct?.dispose()]);
  });

  it('answers exactly what onnxruntime gives run directly, for requests sent one by one and all at once', async () => {
    const groups = [[0], [1, 2], [3], [4, 5, 6], [7], [8, 9], [10], [11]];
    const answers = await Promise.all(groups.map((g) => infer(url, direct, g)));
    for (const [k, g] of groups.entries()) expect(Array.from(answers[k]!.logits)).toEqual(Array.from(await direct.logits(g)));
  });

  it('keeps answering after many batches (their buffers go back and forth)', async () => {
    for (let round = 0; round < 20; round++) {
      const indices = [round % 32, (round + 5) % 32];
      expect(Array.from((await infer(url, direct, indices)).logits)).toEqual(Array.from(await direct.logits(indices)));
    }
  });
});

describe('mlbench serve --instances: problems', () => {
  it('refuses 0 instances and more than 64', () => {
    expect(() => resolveServeOptions(serveFlags({ instances: 0 }))).toThrow('--instances 0: must be a whole number from 1 to 64');
    expect(() => resolveServeOptions(serveFlags({ instances: 65 }))).toThrow('--instances 65: must be a whole number from 1 to 64');
  });

  it("a model the workers cannot load fails the start with onnxruntime's reason", async () => {
    const bad = join(tmpdir(), `mlbench-not-a-model-${process.pid}.onnx`);
    await writeFile(bad, 'this is not an ONNX file');
    try {
      const options = resolveServeOptions(serveFlags({ model: bad, instances: 2 }));
      await expect(options.load()).rejects.toThrow(`${bad}: onnxruntime could not load this model`);
    } finally {
      await rm(bad, { force: true });
    }
  });
});
