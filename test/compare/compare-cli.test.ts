import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATE_FAILED_EXIT } from '../../src/compare/index.js';
import { baseline, regressed, sweep, withinLimits, writeJson, writeRun, writeSweep } from '../fixtures/compare/inputs.js';
import { runCli, tempDir } from '../helpers/cli.js';

// Needs the built CLI: `npm run build` first (npm test does).
describe('mlbench compare (end to end)', () => {
  const dir = tempDir('compare-cli');
  const base = writeRun(dir, 'base', baseline);
  const ok = writeRun(join(dir, 'candidates'), 'ok', withinLimits);
  const slow = writeRun(join(dir, 'candidates'), 'slow', regressed);

  it('a gate that trips exits 5 and says which input, by how much', async () => {
    const r = await runCli(['compare', base, slow, '--fail-if', 'throughput<-5%']);
    expect(GATE_FAILED_EXIT).toBe(5);
    expect(r.code).toBe(5);
    expect(r.stdout).toContain('-7.5%');
    expect(r.stdout).toContain("FAIL --fail-if 'throughput<-5%'");
    expect(r.stdout).toContain('run-slow: throughput 370.00 (-7.5% vs #1): TRIPPED');
    expect(r.stderr).toBe("mlbench: gate tripped: 'throughput<-5%'\n");
  });

  it('gates that hold exit 0; the table has the exact changes', async () => {
    const r = await runCli(['compare', base, ok, '--fail-if', 'throughput<-5%', '--fail-if', 'p99>+10%']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('varies: backend.provider');
    for (const change of ['-2.5%', '+5.0%']) expect(r.stdout).toContain(change);
    expect(r.stdout).toContain('All gates passed.');
    expect(r.stderr).toBe('');
  });

  it('a folder: every run and the sweep (not its probes), in order', async () => {
    writeSweep(dir, 'sweep', sweep);
    const r = await runCli(['compare', base, dir, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { rows: { label: string; changePercent: Record<string, number | null> }[]; gatesPassed: boolean };
    expect(json.rows.map((row) => row.label)).toEqual(['run-base', 'run-ok', 'run-slow', 'sweep-peak']);
    expect(json.rows[3]!.changePercent['throughput']).toBe(5);
    expect(json.gatesPassed).toBe(true);
  });

  it('bad input exits 2 with the file and the problem', async () => {
    const profile = writeJson(join(tempDir('compare-profile'), 'profile.json'), { kind: 'profile' });
    const r = await runCli(['compare', base, profile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mlbench: ${profile}: profile.json is not supported yet: compare the result.json or sweep.json files instead\n`);

    const gate = await runCli(['compare', base, ok, '--fail-if', 'throughput dropped']);
    expect(gate.code).toBe(2);
    expect(gate.stderr).toContain("--fail-if 'throughput dropped': not understood; accepted forms:");
  });
});
