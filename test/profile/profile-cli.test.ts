import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProfileResult } from '../../src/profile/types.js';
import { validateProfile } from '../../src/profile/validate-profile.js';
import { BUILTIN_WORKLOADS_DIR } from '../../src/workloads/paths.js';
import { CLI, type CliRun, runCli, tempDir } from '../helpers/cli.js';

const BUILTIN = join(BUILTIN_WORKLOADS_DIR, 'shapes-cnn');

/**
 * The built-in workload with its fp32 model also named as the fp16 variant: the fp16 cell runs
 * the very same model, so its accuracy against fp32 is known exactly (same top-1, full agreement).
 */
function twinWorkload(dir: string): string {
  const builtin = JSON.parse(readFileSync(join(BUILTIN, 'workload.json'), 'utf8')) as Record<string, unknown>;
  const model = join(BUILTIN, 'model.onnx');
  const path = join(dir, 'workload.json');
  const { $schema: _, ...rest } = builtin;
  writeFileSync(path, JSON.stringify({ ...rest, name: 'shapes-twin', model: { path: model }, precisions: { fp16: model } }));
  return path;
}

function readProfile(root: string): { dir: string; profile: ProfileResult } {
  const dirs = readdirSync(root).filter((d) => d.startsWith('profile-'));
  expect(dirs).toHaveLength(1);
  const dir = join(root, dirs[0]!);
  const profile = JSON.parse(readFileSync(join(dir, 'profile.json'), 'utf8')) as ProfileResult;
  expect(validateProfile(profile, 'profile.json')).toEqual([]);
  return { dir, profile };
}

const SHORT = ['--backends', 'ort', '--scenarios', 'singlestream', '--min-duration-ms', '300'];

describe('mlbench profile (built CLI, onnxruntime-node, each cell a child run)', () => {
  it('fp32, an fp16 twin and a precision the workload lacks: measured, compared with fp32, unsupported', async () => {
    const out = tempDir('profile');
    const workload = twinWorkload(out);
    const run = await runCli(['profile', '--workload', workload, '--precisions', 'fp32,fp16,int8-dynamic', ...SHORT, '--output', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { dir, profile } = readProfile(out);
    expect(JSON.parse(run.stdout)).toEqual(profile);
    expect(profile).toMatchObject({ kind: 'profile', status: 'completed', plan: { precisions: ['fp32', 'fp16', 'int8-dynamic'], passThrough: { 'min-duration-ms': 300 } } });
    expect(profile.rows.map((r) => `${r.precision} ${r.scenario} ${r.status}`)).toEqual(['fp32 singlestream ok', 'fp16 singlestream ok', 'int8-dynamic singlestream unsupported']);
    const [fp32, fp16, int8] = profile.rows;
    // 1004 of the 1,024 held-out samples (README: 98.0% top-1).
    expect(fp32!.accuracy).toEqual({ metric: 'top1', value: 0.98046875, reference: 0.98046875, delta: 0, ratio: 1, agreement: 1, meanCosine: 1, pass99: true, pass999: true });
    expect(fp16!.accuracy).toMatchObject({ metric: 'top1', value: 0.98046875, reference: 0.98046875, delta: 0, ratio: 1, agreement: 1, pass99: true, pass999: true });
    expect(fp16?.accuracy?.meanCosine).toBeCloseTo(1, 6);
    for (const row of [fp32!, fp16!]) {
      expect(row).toMatchObject({ metric: { unit: 'ms' }, runtime: 'cpu', modelSizeBytes: statSync(join(BUILTIN, 'model.onnx')).size, calibration: null });
      expect(row.metric!.value).toBeGreaterThan(0);
      expect(row.peakRssBytes).toBeGreaterThan(10_000_000);
      expect(row.coldStartMs).toBeGreaterThan(0);
      expect(existsSync(join(dir, row.resultDir!, 'result.json'))).toBe(true);
      expect(existsSync(join(dir, row.accuracyResultDir!, 'outputs.bin'))).toBe(true);
    }
    expect(int8!.reason).toContain('has no int8-dynamic variant');
    expect(run.stderr).toContain('[3/6] ort fp16 accuracy ... top1 98.05%, +0.00 pp vs fp32, agreement with fp32 100.00%');
    expect(run.stderr).toContain('★ best');
    expect(run.stderr).toContain(`profile: ${join(dir, 'profile.json')}`);
    expect(readFileSync(join(dir, 'summary.txt'), 'utf8')).toContain('2 measured');
  });

  it('the built-in workload: its int8-static variant against fp32 with the calibration recorded, and tfjs with fp32 only', async () => {
    const out = tempDir('profile-builtin');
    const run = await runCli(['profile', '--precisions', 'fp32,int8-static', '--backends', 'ort,tfjs', '--scenarios', 'offline', '--min-duration-ms', '300', '--output', out]);
    expect(run.code, run.stderr).toBe(0);
    const { profile } = readProfile(out);
    expect(profile.rows.map((r) => `${r.backend} ${r.precision} ${r.status}`)).toEqual(['ort fp32 ok', 'ort int8-static ok', 'tfjs fp32 ok', 'tfjs int8-static unsupported']);
    const [ortFp32, ortInt8, tfjsFp32, tfjsInt8] = profile.rows;
    const workload = JSON.parse(readFileSync(join(BUILTIN, 'workload.json'), 'utf8')) as { precisions: Record<string, { path: string; calibration: unknown }> };
    expect(ortInt8!.calibration).toEqual(workload.precisions['int8-static']!.calibration);
    expect(ortInt8!.modelSizeBytes).toBe(statSync(join(BUILTIN, 'model.int8-static.onnx')).size);
    const accuracy = ortInt8!.accuracy!;
    const reference = ortFp32!.accuracy!.value;
    expect(accuracy.reference).toBe(reference);
    expect(accuracy.delta).toBe(accuracy.value - reference);
    expect(accuracy.pass99).toBe(accuracy.value >= 0.99 * reference);
    expect(accuracy.agreement).toBeGreaterThan(0.97);
    expect(tfjsFp32).toMatchObject({ runtime: 'wasm', accuracy: { value: ortFp32!.accuracy!.value, agreement: 1 } });
    expect(tfjsInt8!.reason).toContain('has no TF.js model for precision int8-static');
  });

  it('--repetitions 2: the accuracy pass once, the performance run twice, each in its own folder, the median of both', async () => {
    const out = tempDir('profile-repeat');
    const run = await runCli(['profile', '--precisions', 'fp32', ...SHORT, '--repetitions', '2', '--output', out]);
    expect(run.code, run.stderr).toBe(0);
    const { dir, profile } = readProfile(out);
    expect(profile.plan.repetitions).toBe(2);
    expect(profile.rows).toHaveLength(1);
    const [row] = profile.rows;
    const repetitions = row!.repetitions!;
    expect(repetitions).toMatchObject({ count: 2, valid: 2 });
    expect(repetitions.runs.map((r) => r.status)).toEqual(['ok', 'ok']);
    const values = repetitions.runs.map((r) => r.value!);
    expect(repetitions.values).toEqual(values);
    expect(row!.metric!.value).toBe((values[0]! + values[1]!) / 2);
    expect([repetitions.min, repetitions.max]).toEqual([Math.min(...values), Math.max(...values)]);
    const dirs = repetitions.runs.map((r) => r.resultDir!);
    expect(new Set(dirs).size).toBe(2);
    for (const d of dirs) expect(existsSync(join(dir, d, 'result.json'))).toBe(true);
    expect(dirs).toContain(row!.resultDir);
    // The accuracy pass and two performance runs: three folders.
    expect(readdirSync(join(dir, 'runs'))).toHaveLength(3);
    expect(run.stderr).toContain('[2/3] ort fp32 singlestream (1/2) ...');
    expect(run.stderr).toContain('[3/3] ort fp32 singlestream (2/2) ...');
    expect(run.stdout).toContain('VALID 2/2');
    expect(run.stdout).toContain('each metric: the median (min-max) of 2 repetitions');
  });

  it('--repetitions that is not a whole number >= 1: exit 2, named with the other problems, nothing run', async () => {
    const out = tempDir('profile-bad-repeat');
    for (const bad of ['0', '-1', '2.5']) {
      const run = await runCli(['profile', '--repetitions', bad, '--threads', 'x', '--output', out]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--repetitions ${bad}: expected a whole number >= 1`);
      expect(run.stderr).toContain('--threads: expected whole numbers >= 0');
    }
    expect(readdirSync(out)).toEqual([]);
  });

  it('bad input exits 2 with every problem named, and runs nothing', async () => {
    const out = tempDir('profile-bad');
    const run = await runCli(['profile', '--backends', 'ort,onnx', '--threads', 'x', '--precisions', 'fp16', '--min-duration-ms', '-5', '--output', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--backends: unknown onnx (choices: ort, tfjs)');
    expect(run.stderr).toContain('--threads: expected whole numbers >= 0');
    expect(run.stderr).toContain('--precisions fp16: include fp32');
    expect(run.stderr).toContain('flag --min-duration-ms: $: expected a number >= 0, found -5');
    expect(readdirSync(out)).toEqual([]);
    const workload = await runCli(['profile', '--workload', 'no-such-workload', '--output', out]);
    expect(workload.code).toBe(2);
    expect(workload.stderr).toContain('--workload no-such-workload: no built-in workload of that name');
  });

  it('Ctrl-C stops the running cell, writes the rows so far marked aborted, exits 130', async () => {
    const out = tempDir('profile-abort');
    const run = await new Promise<CliRun>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'profile', '--precisions', 'fp32', ...SHORT.slice(0, 4), '--min-duration-ms', '20000', '--output', out], {
        env: { ...process.env, NO_COLOR: '1' },
      });
      let stdout = '';
      let stderr = '';
      let interrupted = false;
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // Interrupt once (a second Ctrl-C quits at once) when the 20 s SingleStream run has started.
        if (!interrupted && stderr.includes('[2/2]')) {
          interrupted = true;
          child.kill('SIGINT');
        }
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(run.code, run.stderr).toBe(130);
    const { profile } = readProfile(out);
    expect(profile.status).toBe('aborted');
    expect(profile.rows).toEqual([]);
    expect(run.stdout).toContain('interrupted: the rows measured so far');
  });
});
