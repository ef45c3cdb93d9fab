import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeInferResponse, encodeInferRequest } from '../../src/kserve/http-codec.js';
import { SERVER_TIMING_PARAMETERS, type WireTensor } from '../../src/kserve/types.js';
import type { RunningServer } from '../../src/serve/start-server.js';
import { writeFixedBatchModel, writeSequenceModel } from '../fixtures/tiny-models.js';
import { tempDir } from '../helpers/cli.js';
import { httpUrl, startFromFlags } from './serve-helpers.js';

async function infer(server: RunningServer, model: string, inputs: readonly WireTensor[]) {
  const { body, headers } = encodeInferRequest(inputs, { binaryInputs: true, binaryOutputs: false });
  const response = await fetch(`${httpUrl(server)}/v2/models/${model}/infer`, { method: 'POST', body, headers });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, bytes, decoded: () => decodeInferResponse(bytes, null) };
}

describe('mlbench serve --model: a model without a dynamic batch dimension', () => {
  let server: RunningServer;
  const log: string[] = [];
  beforeAll(async () => {
    const path = writeFixedBatchModel(tempDir('serve-fixed'));
    server = await startFromFlags({ model: path, 'grpc-port': -1, 'max-batch': 8, 'batch-window-ms': 5 }, { log: (line) => log.push(line) });
    await server.ready;
  });
  afterAll(async () => server?.close());

  it('says max batch is forced to 1, and serves its fixed shape under the file name', async () => {
    expect(log).toContain('mlbench serve: model fixed has no dynamic batch dimension: --max-batch 8 forced to 1');
    const meta = await (await fetch(`${httpUrl(server)}/v2/models/fixed`)).json();
    expect(meta).toMatchObject({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4] }], outputs: [{ name: 'y', datatype: 'FP32', shape: [1, 4] }] });
    const ok = await infer(server, 'fixed', [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: new Float32Array([-1, 2, -3, 4]) }]);
    expect(ok.status).toBe(200);
    expect(Array.from(ok.decoded().outputs[0]!.data as Float32Array)).toEqual([0, 2, 0, 4]);
    expect(ok.decoded().parameters[SERVER_TIMING_PARAMETERS.batchSize]).toBe(1);
    const two = await infer(server, 'fixed', [{ name: 'x', datatype: 'FP32', shape: [2, 4], data: new Float32Array(8) }]);
    expect(two.status).toBe(400);
    expect(JSON.parse(two.bytes.toString()).error).toMatch(/input 'x': dimension 0 is 2, but the model fixes it at 1/);
  });
});

describe('mlbench serve --model: two inputs with a variable sequence length', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const path = writeSequenceModel(tempDir('serve-sequence'));
    server = await startFromFlags({ model: path, name: 'seq', 'grpc-port': -1, 'max-batch': 8, 'batch-window-ms': 100 });
    await server.ready;
  });
  afterAll(async () => server?.close());

  const request = (rows: number, seq: number, value: number, maskRows = rows): WireTensor[] => [
    { name: 'tokens', datatype: 'INT64', shape: [rows, seq], data: new BigInt64Array(rows * seq).fill(BigInt(value)) },
    { name: 'mask', datatype: 'FP32', shape: [maskRows, seq], data: new Float32Array(maskRows * seq).fill(0.5) },
  ];

  it('never batches requests of different sequence lengths together, and answers each its own rows', async () => {
    const shapes: [number, number, number][] = [
      [1, 4, 2],
      [2, 6, 4],
      [1, 4, 6],
      [1, 6, 8],
    ];
    const answers = await Promise.all(shapes.map(([rows, seq, value]) => infer(server, 'seq', request(rows, seq, value))));
    answers.forEach((answer, i) => {
      const [rows, seq, value] = shapes[i]!;
      expect(answer.status).toBe(200);
      const out = answer.decoded().outputs[0]!;
      expect(out.shape).toEqual([rows, seq]);
      expect(Array.from(out.data as Float32Array)).toEqual(new Array(rows * seq).fill(value * 0.5));
    });
    const formed = server.status().batchSizes;
    expect(Object.entries(formed).reduce((n, [rows, count]) => n + Number(rows) * count, 0)).toBe(5);
  });

  it('names a missing input, and inputs that disagree on the batch size', async () => {
    const [tokens] = request(1, 4, 1);
    const missing = await infer(server, 'seq', [tokens!]);
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.bytes.toString()).error).toBe("input 'mask' is missing (model 'seq' takes: tokens, mask)");
    const disagree = await infer(server, 'seq', request(2, 4, 1, 3));
    expect(disagree.status).toBe(400);
    expect(JSON.parse(disagree.bytes.toString()).error).toBe("inputs disagree on the batch size: 'tokens' has 2 rows, 'mask' has 3");
  });
});
