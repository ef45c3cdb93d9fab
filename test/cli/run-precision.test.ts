import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/types.js';
import { BUILTIN_WORKLOADS_DIR } from '../../src/workloads/paths.js';
import { onlyRun, runCli, tempDir } from '../helpers/cli.js';

const CALIBRATION = { method: 'minmax', sampleCount: 4, samples: 'shapes seed 7, split train, indices 0-3', activations: 'uint8 asymmetric, per tensor', weights: 'int8 symmetric, per output channel' };

/** A copy of the built-in workload naming its own variant file: here, a byte copy of the fp32 model, so outputs must agree exactly. */
function workloadWithVariant(): { dir: string; file: string } {
  const dir = tempDir('precision');
  const builtin = join(BUILTIN_WORKLOADS_DIR, 'shapes-cnn');
  copyFileSync(join(builtin, 'model.onnx'), join(dir, 'model.onnx'));
  copyFileSync(join(builtin, 'model.onnx'), join(dir, 'copy.onnx'));
  const workload = JSON.parse(readFileSync(join(builtin, 'workload.json'), 'utf8')) as Record<string, unknown>;
  delete workload['$schema'];
  workload['model'] = { path: 'model.onnx' };
  workload['precisions'] = { 'my-copy': { path: 'copy.onnx', calibration: CALIBRATION } };
  const file = join(dir, 'workload.json');
  writeFileSync(file, JSON.stringify(workload));
  return { dir, file };
}

describe('--precision and --reference-outputs', () => {
  it("runs the named variant, records it with its calibration, and compares its outputs with the fp32 run's", async () => {
    const { dir, file } = workloadWithVariant();
    const accuracy = ['--workload', file, '--scenario', 'offline', '--mode', 'accuracy', '--progress', 'false'];
    const reference = await runCli([...accuracy, '--output', join(dir, 'fp32')]);
    expect(reference.code).toBe(0);
    const fp32 = onlyRun(join(dir, 'fp32'));
    const variant = await runCli([...accuracy, '--precision', 'my-copy', '--reference-outputs', fp32.dir, '--output', join(dir, 'copy')]);
    expect(variant.code).toBe(0);
    const run = onlyRun(join(dir, 'copy')).result as unknown as RunResult;
    expect(run.workload.precision).toBe('my-copy');
    expect(run.workload.calibration).toEqual(CALIBRATION);
    expect(run.model.path).toBe(join(dir, 'copy.onnx'));
    expect(run.outputs).toEqual({ file: join(onlyRun(join(dir, 'copy')).dir, 'outputs.bin'), rows: 1024, rowWidth: 10, output: 'logits' });
    expect(run.summary.accuracy?.metric).toBe('top1');
    expect(run.summary.accuracy?.value).toBe((fp32.result as unknown as RunResult).summary.accuracy?.value);
    expect(run.summary.accuracy?.reference).toEqual({ file: join(fp32.dir, 'outputs.bin'), agreement: 1, meanCosine: 1 });
    expect(variant.stdout).toContain('precision my-copy');
    expect(variant.stdout).toContain('top-1 agreement 100.00%');
  });

  it('names the variants a workload offers when asked for one it lacks, and runs nothing', async () => {
    const { dir, file } = workloadWithVariant();
    const r = await runCli(['--workload', file, '--precision', 'fp16', '--output', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has no fp16 variant (it offers: fp32, my-copy');
  });

  it('a bare model has no variants; a reference only makes sense in accuracy mode', async () => {
    const model = join(BUILTIN_WORKLOADS_DIR, 'shapes-cnn', 'model.onnx');
    const bare = await runCli(['--model', model, '--precision', 'int8-static']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('is a bare model with no precision variants');
    const perf = await runCli(['--reference-outputs', model]);
    expect(perf.code).toBe(2);
    expect(perf.stderr).toContain('--reference-outputs applies to --mode accuracy');
  });
});
