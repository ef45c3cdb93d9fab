import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATE_FAILED_EXIT } from '../../src/compare/index.js';
import { baseline, regressed, sweep, withinLimits, writeJson, writeRun, writeSweep } from '../fixtures/compare/inputs.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { VARIANT, writeProfile } from './profile-inputs.js';

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
    expect(r.stderr).toContain(`mlbench: ${profile} is not a valid profile.json:\n`);
    expect(r.stderr).toContain(`${profile}: $: missing required property 'rows'`);

    const gate = await runCli(['compare', base, ok, '--fail-if', 'throughput dropped']);
    expect(gate.code).toBe(2);
    expect(gate.stderr).toContain("--fail-if 'throughput dropped': not understood; accepted forms:");
  });

  it('two profile folders: rows matched by cell, a gate per row, rows without a result listed', async () => {
    const profiles = tempDir('compare-cli-profiles');
    const a = writeProfile(profiles, 'profile-a', 'bench-01', [
      { precision: 'fp32', throughput: 400 },
      { precision: 'int8-dynamic', throughput: 600 },
    ]);
    const b = writeProfile(profiles, 'profile-b', 'bench-02', [
      { precision: 'int8-dynamic', throughput: 630 },
      { precision: 'fp32', throughput: 370 },
      { precision: 'fp16', throughput: null },
    ]);
    const cell = (profile: string, precision: string): string => `${profile}: ${precision} ort (${VARIANT}) server`;
    const r = await runCli(['compare', a, b, '--fail-if', 'throughput<-5%']);
    expect(r.code).toBe(GATE_FAILED_EXIT);
    expect(r.stdout).toContain(`${cell('profile-b', 'fp32')}: throughput 370.00 (-7.5% vs #1): TRIPPED`);
    expect(r.stdout).toContain(`${cell('profile-b', 'int8-dynamic')}: throughput 630.00 (+5.0% vs #3): ok`);
    expect(r.stdout).toContain(`Profile rows without a result:\n  ${cell('profile-b', 'fp16')}: unsupported: no fp16 model for this workload\n`);
    expect(r.stderr).toBe("mlbench: gate tripped: 'throughput<-5%'\n");

    const json = await runCli(['compare', profiles, '--json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { rows: { label: string; against: number | null; changePercent: Record<string, number | null> }[]; notes: string[] };
    expect(doc.rows.map((row) => [row.label, row.against, row.changePercent['throughput']])).toEqual([
      [cell('profile-a', 'fp32'), null, null],
      [cell('profile-b', 'fp32'), 1, -7.5],
      [cell('profile-a', 'int8-dynamic'), null, null],
      [cell('profile-b', 'int8-dynamic'), 3, 5],
    ]);
    expect(doc.notes).toEqual([`${cell('profile-b', 'fp16')}: unsupported: no fp16 model for this workload`]);
  });
});
