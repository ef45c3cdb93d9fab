import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../src/results/validate.js';
import { onlyRun, runCli, tempDir } from '../helpers/cli.js';

describe('mlbench run on the null backend', () => {
  it('Server: writes result.json (schema-valid), detail.jsonl and summary.txt; --json prints the result', async () => {
    const out = tempDir('null-server');
    const r = await runCli([
      '--scenario', 'server', '--backend', 'null', '--service-time-ms', '1', '--target-qps', '200',
      '--latency-bound-ms', '100', '--min-duration-ms', '1500', '--output', out, '--json',
    ]);
    const { dir, result } = onlyRun(out);
    expect(validateDocument('result', result, 'result.json')).toEqual([]);
    expect(JSON.parse(r.stdout)).toEqual(result);
    expect(r.code).toBe((result['validity'] as { valid: boolean }).valid ? 0 : 3);
    expect(readFileSync(join(dir, 'summary.txt'), 'utf8')).toContain('Result is');
    const detail = readFileSync(join(dir, 'detail.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(detail[0]!.type).toBe('run');
    expect(detail.some((d) => d.type === 'queries')).toBe(true);
    expect(detail.some((d) => d.type === 'samples')).toBe(true);
  });

  it('Ctrl-C mid-run: exit 130, and what was measured is written, marked aborted', async () => {
    const out = tempDir('abort');
    const r = await runCli(['--scenario', 'singlestream', '--backend', 'null', '--service-time-ms', '1', '--min-duration-ms', '30000', '--output', out], {
      // Interrupt once the run is under way (its folder exists), however slow the start.
      onSpawn: (kill) => {
        const poll = setInterval(() => {
          if (readdirSync(out).length === 0) return;
          clearInterval(poll);
          setTimeout(() => kill('SIGINT'), 1500);
        }, 50);
      },
    });
    expect(r.code).toBe(130);
    const { dir, result } = onlyRun(out);
    expect(result['status']).toBe('aborted');
    expect((result['summary'] as { samplesCompleted: number }).samplesCompleted).toBeGreaterThan(100);
    expect(validateDocument('result', result, 'result.json')).toEqual([]);
    expect(existsSync(join(dir, 'detail.jsonl'))).toBe(true);
  });
});

describe('mlbench early-stopping', () => {
  it('prints the least queries for a percentile and an over-latency count', async () => {
    const r = await runCli(['early-stopping', '--percentile', '99', '--overlatency', '0', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ percentile: 99, overLatency: 0, minQueries: 459 });
  });

  it('prints how many may be over for N queries, in words', async () => {
    const r = await runCli(['early-stopping', '--percentile', '90', '--queries', '1024']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1024/);
  });

  it('needs exactly one of --overlatency and --queries', async () => {
    const r = await runCli(['early-stopping', '--percentile', '90']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('exactly one of --overlatency');
  });
});
