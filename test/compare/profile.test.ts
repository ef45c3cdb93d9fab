import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildComparison } from '../../src/compare/compare.js';
import { findInputFiles } from '../../src/compare/find-inputs.js';
import { formatGates } from '../../src/compare/format-gates.js';
import { formatComparison } from '../../src/compare/format-table.js';
import { checkGate } from '../../src/compare/gate-check.js';
import { parseGate } from '../../src/compare/gate-parse.js';
import { loadInput } from '../../src/compare/load-input.js';
import { validateDocument } from '../../src/results/validate.js';
import { tempDir } from '../helpers/cli.js';
import { VARIANT, writeProfile } from './profile-inputs.js';

const dir = tempDir('compare-profiles');
// Machine A, then machine B: fp32 lost 7.5%, int8-dynamic gained 5%; fp16 unsupported on both;
// B's int8-static row points at a run folder that was deleted.
const a = writeProfile(dir, 'profile-a', 'bench-01', [
  { precision: 'fp32', throughput: 400 },
  { precision: 'int8-dynamic', throughput: 600 },
  { precision: 'fp16', throughput: null },
]);
const b = writeProfile(dir, 'profile-b', 'bench-02', [
  { precision: 'fp32', throughput: 370 },
  { precision: 'int8-dynamic', throughput: 630 },
  { precision: 'fp16', throughput: null },
  { precision: 'int8-static', throughput: 500, deleteResult: true },
]);
const cell = (profile: string, precision: string): string => `${profile}: ${precision} ort (${VARIANT}) server`;
const missingStatic = `${cell('profile-b', 'int8-static')}: ${join(b, 'runs', 'profile-b-int8-static', 'result.json')} is missing; row left out`;

async function comparison(...paths: string[]) {
  const files = await findInputFiles(paths);
  return buildComparison(await Promise.all(files.map(loadInput)));
}

describe('a profile.json as compare input', () => {
  it('the fixture is a valid profile.json (the same check compare makes)', () => {
    expect(validateDocument('profile', JSON.parse(readFileSync(join(b, 'profile.json'), 'utf8')), 'profile.json')).toEqual([]);
  });

  it('expands into one result input per row with a result, labelled by its cell', async () => {
    const input = await loadInput(join(a, 'profile.json'));
    if (input.kind !== 'profile') throw new Error(`expected a profile, got ${input.kind}`);
    expect(input.rows.map((r) => [r.result.runId, r.file])).toEqual([
      ['profile-a-fp32', join(a, 'runs', 'profile-a-fp32', 'result.json')],
      ['profile-a-int8-dynamic', join(a, 'runs', 'profile-a-int8-dynamic', 'result.json')],
    ]);
    expect(input.notes).toEqual([`${cell('profile-a', 'fp16')}: unsupported: no fp16 model for this workload`]);
  });

  it('a row whose result.json is gone is a note naming the file; the other rows load', async () => {
    const input = await loadInput(join(b, 'profile.json'));
    if (input.kind !== 'profile') throw new Error(`expected a profile, got ${input.kind}`);
    expect(input.rows.map((r) => r.result.runId)).toEqual(['profile-b-fp32', 'profile-b-int8-dynamic']);
    expect(input.notes).toEqual([`${cell('profile-b', 'fp16')}: unsupported: no fp16 model for this workload`, missingStatic]);
  });
});

describe('two profiles compared row by row', () => {
  it('matching cells sit together, each changed against the first profile\'s same cell', async () => {
    const c = await comparison(a, b);
    expect(c.rows.map((r) => r.label)).toEqual([cell('profile-a', 'fp32'), cell('profile-b', 'fp32'), cell('profile-a', 'int8-dynamic'), cell('profile-b', 'int8-dynamic')]);
    expect(c.rows.map((r) => r.baseline)).toEqual([null, 0, null, 2]);
    expect(c.rows.map((r) => r.changePercent.throughput)).toEqual([null, -7.5, null, 5]);
    expect(c.rows.map((r) => r.headline.values.throughput)).toEqual([400, 370, 600, 630]);
    expect(c.varies).toEqual(['profile', 'precision', 'system.hostname']);
    expect(c.same.find((f) => f.key === 'variant')?.value).toBe(VARIANT);
    expect(c.notes).toEqual([`${cell('profile-a', 'fp16')}: unsupported: no fp16 model for this workload`, `${cell('profile-b', 'fp16')}: unsupported: no fp16 model for this workload`, missingStatic]);
  });

  it('a change gate checks each row of the second profile against its cell in the first', async () => {
    const c = await comparison(a, b);
    const outcome = checkGate(parseGate('throughput<-5%'), c);
    expect(outcome.tripped).toBe(true);
    expect(outcome.checks).toEqual([
      { label: cell('profile-b', 'fp32'), value: 370, changePercent: -7.5, against: 1, metricUnit: 'samples/s', tripped: true },
      { label: cell('profile-b', 'int8-dynamic'), value: 630, changePercent: 5, against: 3, metricUnit: 'samples/s', tripped: false },
    ]);
    expect(formatGates([outcome])).toContain(`${cell('profile-b', 'int8-dynamic')}: throughput 630.00 (+5.0% vs #3): ok`);
    expect(checkGate(parseGate('throughput>+10%'), c).tripped).toBe(false);
  });

  it('an absolute gate checks every row, the first profile\'s included', async () => {
    const outcome = checkGate(parseGate('throughput<380'), await comparison(a, b));
    expect(outcome.checks.map((check) => [check.label, check.tripped])).toEqual([
      [cell('profile-a', 'fp32'), false],
      [cell('profile-b', 'fp32'), true],
      [cell('profile-a', 'int8-dynamic'), false],
      [cell('profile-b', 'int8-dynamic'), false],
    ]);
  });

  it('the table says which row each is against, and lists the rows without a result', async () => {
    const text = formatComparison(await comparison(a, b));
    expect(text).toContain('varies: profile, precision, system.hostname');
    expect(text).toMatch(/│ 2 +│ profile-b: fp32 ort \(cpu, 2 threads, graph all, sequential\) server +│ #1 +│/);
    expect(text).toMatch(/│ 3 +│ profile-a: int8-dynamic .* server +│ - +│/);
    expect(text).toContain('against the row in column vs (profile rows: the same precision, backend, variant and scenario)');
    expect(text).toContain(`Profile rows without a result:\n  ${cell('profile-a', 'fp16')}: unsupported: no fp16 model for this workload\n`);
    expect(text).toContain(`  ${missingStatic}\n`);
  });

  it('a single profile: its rows are not changes against each other', async () => {
    const c = await comparison(a);
    expect(c.rows.map((r) => r.baseline)).toEqual([null, null]);
    expect(checkGate(parseGate('throughput<-5%'), c).checks).toEqual([]);
  });

  it('a result.json before a profile: every profile row is measured against it', async () => {
    const c = await comparison(join(b, 'runs', 'profile-b-fp32', 'result.json'), a);
    expect(c.rows.map((r) => r.baseline)).toEqual([null, 0, 0]);
    expect(c.rows.map((r) => r.changePercent.throughput)).toEqual([null, (400 - 370) * 100 / 370, (600 - 370) * 100 / 370]);
  });
});

describe('folder search with profiles', () => {
  it('a profile folder is one input: its runs are not listed again', async () => {
    expect(await findInputFiles([dir])).toEqual([join(a, 'profile.json'), join(b, 'profile.json')]);
    expect(await findInputFiles([join(a, 'profile.json'), a])).toEqual([join(a, 'profile.json')]);
    // A run folder under a profile that is also an input, found by a search: belongs to the profile.
    expect(await findInputFiles([join(a, 'profile.json'), join(a, 'runs')])).toEqual([join(a, 'profile.json')]);
  });

  it('a run named as well as its profile is shown once, with the profile\'s label, in either order', async () => {
    const run = join(a, 'runs', 'profile-a-int8-dynamic', 'result.json');
    for (const paths of [[run, a], [a, run]]) {
      const c = await comparison(...paths);
      expect(c.rows.map((r) => r.label)).toEqual([cell('profile-a', 'fp32'), cell('profile-a', 'int8-dynamic')]);
    }
  });

  it('the same profile twice counts its rows once', async () => {
    const c = await comparison(join(a, 'profile.json'), join(a, '.', 'profile.json'));
    expect(c.rows).toHaveLength(2);
    expect(c.notes).toHaveLength(1);
  });

  it('a profile with no result at all: nothing to compare, and why', async () => {
    const empty = writeProfile(tempDir('compare-profile-empty'), 'profile-c', 'bench-03', [{ precision: 'fp16', throughput: null }]);
    await expect(comparison(empty)).rejects.toThrow(`nothing to compare: no input has a result:\n  ${cell('profile-c', 'fp16')}: unsupported: no fp16 model for this workload`);
  });
});
