import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepResult } from '../../src/sweep/types.js';
import { validateSweep } from '../../src/sweep/validate-sweep.js';
import { runCli, tempDir } from '../helpers/cli.js';

const NULL_BACKEND = ['--backend', 'null', '--service-time-ms', '2', '--latency-bound-ms', '50', '--min-duration-ms', '2000', '--max-duration-ms', '8000'];

/** The one sweep folder under `root`, its sweep.json, and a check that every point's folder holds a result. */
function readSweep(root: string): { dir: string; sweep: SweepResult } {
  const dirs = readdirSync(root).filter((d) => d.startsWith('sweep-'));
  expect(dirs).toHaveLength(1);
  const dir = join(root, dirs[0]!);
  const sweep = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as SweepResult;
  expect(validateSweep(sweep, 'sweep.json')).toEqual([]);
  expect(existsSync(join(dir, 'summary.txt'))).toBe(true);
  for (const p of sweep.points) expect(existsSync(join(dir, p.resultDir!, 'result.json')), p.resultDir!).toBe(true);
  return { dir, sweep };
}

describe('mlbench sweep (built CLI, null backend, real clock)', () => {
  it('--find-peak: exit 0 with a confirmed peak, or 3 with none', async () => {
    const out = tempDir('sweep-peak');
    const run = await runCli(['sweep', ...NULL_BACKEND, '--find-peak', '--start-qps', '400', '--bracket-percent', '10', '--probe-duration-ms', '1000', '--output', out]);
    expect([0, 3], run.stderr).toContain(run.code);
    const { sweep } = readSweep(out);
    expect(sweep).toMatchObject({ mode: 'server', method: 'find-peak', latencyBoundMs: 50, percentile: 99 });
    expect(sweep.points.filter((p) => p.kind === 'probe').length).toBeGreaterThanOrEqual(2);
    expect(sweep.peak !== null).toBe(run.code === 0);
    if (sweep.peak !== null) {
      const confirmation = sweep.points.find((p) => p.runId === sweep.peak!.confirmation.runId);
      expect(confirmation).toMatchObject({ kind: 'confirmation', valid: true, offeredQps: sweep.peak.qps });
      expect(run.stdout).toContain(`peak: ${sweep.peak.qps} QPS SLO-valid`);
    }
    expect(run.stdout).toContain('goodput QPS');
  });

  it('--qps 100,200: one full-length run per rate, exit 0', async () => {
    const out = tempDir('sweep-list');
    const run = await runCli(['sweep', ...NULL_BACKEND, '--qps', '100,200', '--output', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { sweep } = readSweep(out);
    expect(JSON.parse(run.stdout)).toEqual(sweep);
    expect(sweep).toMatchObject({ method: 'list', peak: null });
    expect(sweep.points.map((p) => [p.kind, p.offeredQps])).toEqual([
      ['point', 100],
      ['point', 200],
    ]);
    for (const p of sweep.points) {
      expect(p.completedQps).toBeGreaterThan(0);
      expect(p.goodputQps).not.toBeNull();
    }
  });

  it('bad input exits 2 with every problem named', async () => {
    const run = await runCli(['sweep', '--backend', 'null', '--qps', '0,x', '--find-peak', '--bracket-percent', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--qps and --find-peak both given');
    expect(run.stderr).toContain('--qps: expected positive numbers, found 0, x');
    expect(run.stderr).toContain('--bracket-percent');
  });
});
