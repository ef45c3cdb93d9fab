import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/types.js';
import { writeFixedBatchModel, writeSequenceModel } from '../fixtures/tiny-models.js';
import { onlyRun, runCli, tempDir } from '../helpers/cli.js';

describe('bring your own ONNX model', () => {
  it('generates inputs from the declared types and shapes, and says what it assumed', async () => {
    const dir = tempDir('own-model');
    const model = writeSequenceModel(dir);
    const out = `${dir}/results`;
    const r = await runCli(['--scenario', 'offline', '--model', model, '--min-duration-ms', '500', '--output', out]);
    const run = onlyRun(out).result as unknown as RunResult;
    expect([0, 3]).toContain(r.code);
    expect(run.model.inputs).toEqual([
      { name: 'tokens', type: 'int64', declaredShape: ['batch', 'seq'], shape: [1, 128] },
      { name: 'mask', type: 'float32', declaredShape: ['batch', 'seq'], shape: [1, 128] },
    ]);
    expect(run.model.assumptions[0]).toBe("input 'tokens' dimension 1 ('seq') assumed 128; set it with --shape tokens=...");
    expect(r.stdout).toContain("assumed 128");
    expect(run.summary.samplesFailed).toBe(0);
  });

  it('--shape fixes the dimensions instead', async () => {
    const dir = tempDir('own-model-shape');
    const model = writeSequenceModel(dir);
    const out = `${dir}/results`;
    await runCli(['--scenario', 'singlestream', '--model', model, '--shape', 'tokens=1x16', '--shape', 'mask=1x16', '--min-duration-ms', '300', '--output', out]);
    const run = onlyRun(out).result as unknown as RunResult;
    expect(run.model.inputs.map((i) => i.shape)).toEqual([[1, 16], [1, 16]]);
    expect(run.model.assumptions).toEqual([]);
  });

  it('a model with a fixed batch of 1 runs one sample per call, also in Offline', async () => {
    const dir = tempDir('own-model-fixed');
    const model = writeFixedBatchModel(dir);
    const out = `${dir}/results`;
    await runCli(['--scenario', 'offline', '--model', model, '--min-duration-ms', '300', '--output', out]);
    const run = onlyRun(out).result as unknown as RunResult;
    expect(run.backend.settings['maxBatchSize']).toBe(1);
    expect(run.summary.samplesFailed).toBe(0);
    expect(run.summary.samplesCompleted).toBeGreaterThan(0);
  });
});
