import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const FAST = ['--min-duration-ms', '200', '--warmup-query-count', '0'];

describe('bad input gets a clear message and exit code 2, before anything runs', () => {
  it('an invalid scenario file: every problem, with file and JSON path', async () => {
    const dir = tempDir('scenario');
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ scenario: 'server', profile: 'quick', description: 'x', settings: { minDurationSec: 5, minQueryCount: 'ten', latencyPercentile: 150 } }));
    const r = await runCli(['--scenario-file', file, '--backend', 'null', '--output', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: $.settings`);
    expect(r.stderr).toContain("'minDurationSec'");
    expect(r.stderr).toContain('minDurationMs');
    expect(r.stderr).toContain('$.settings.minQueryCount');
    expect(r.stderr).toContain('$.settings.latencyPercentile');
    expect(r.stderr).not.toContain('    at ');
  });

  it('an invalid workload file', async () => {
    const dir = tempDir('workload');
    const file = join(dir, 'workload.json');
    writeFileSync(file, JSON.stringify({ name: 'Bad Name', description: 'x', task: 'image-classification', model: { path: 'm.onnx' }, dataset: { kind: 'random', seed: 1, sampleCount: 0 }, performanceSampleCount: 1 }));
    const r = await runCli(['--workload', file, '--output', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: $.name`);
    expect(r.stderr).toContain('$.dataset.sampleCount');
  });

  it('a missing model file', async () => {
    const r = await runCli(['--model', '/nonexistent/model.onnx', '--output', tempDir('missing')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--model /nonexistent/model.onnx: file not found');
  });

  it('a corrupt model file', async () => {
    const dir = tempDir('corrupt');
    const file = join(dir, 'corrupt.onnx');
    writeFileSync(file, 'this is not an onnx model');
    const r = await runCli(['--model', file, '--output', dir, ...FAST]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: onnxruntime could not load this model`);
  });

  it('an unknown backend', async () => {
    const r = await runCli(['--backend', 'tensorflow', '--output', tempDir('backend')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('backend');
    expect(r.stderr).toContain('"ort", "tfjs", "null"');
  });

  it('an unavailable execution provider names how to install it', async () => {
    const r = await runCli(['--provider', 'cuda', '--output', tempDir('cuda'), ...FAST]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--provider cuda');
    expect(r.stderr).toContain('--onnxruntime-node-install=cuda12');
  });

  it('settings that contradict each other, all at once', async () => {
    const r = await runCli(['--scenario', 'server', '--backend', 'null', '--percentile', '0.99', '--min-duration-ms', '5000', '--max-duration-ms', '1000', '--output', tempDir('cross')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean 99?');
    expect(r.stderr).toContain('--max-duration-ms');
  });
});
