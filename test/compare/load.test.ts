import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { findInputFiles } from '../../src/compare/find-inputs.js';
import { parseInput } from '../../src/compare/load-input.js';
import { baseline, regressed, sweep, writeJson, writeRun, writeSweep } from '../fixtures/compare/inputs.js';
import { rawResultWith } from '../fixtures/result-fixture.js';
import { tempDir } from '../helpers/cli.js';

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('parseInput recognises each kind by content', () => {
  it('a result.json, checked against the schema', () => {
    const input = parseInput('x/result.json', JSON.stringify(baseline));
    expect(input.kind).toBe('result');
  });

  it('a sweep.json', () => {
    expect(parseInput('anything.json', JSON.stringify(sweep)).kind).toBe('sweep');
  });

  it('a profile.json, checked against schemas/profile.schema.json', () => {
    const message = errorOf(() => parseInput('p/profile.json', JSON.stringify({ kind: 'profile' }))).message;
    expect(message).toContain('p/profile.json is not a valid profile.json:');
    expect(message).toContain("p/profile.json: $: missing required property 'rows'");
    // Recognised by content whatever its name.
    expect(errorOf(() => parseInput('p/other.json', JSON.stringify({ kind: 'profile', x: 1 }))).message).toContain('p/other.json is not a valid profile.json:');
  });

  it('invalid JSON names the file', () => {
    expect(errorOf(() => parseInput('r/result.json', '{"runId": ')).message).toMatch(/^r\/result\.json: not valid JSON: /);
  });

  it('an invalid result.json lists the schema problems with their paths', () => {
    const message = errorOf(() => parseInput('r/result.json', JSON.stringify(rawResultWith('summary.durationNs', 'long')))).message;
    expect(message).toContain('r/result.json is not a valid result.json:');
    expect(message).toContain('r/result.json: $.summary.durationNs');
  });

  it('an invalid sweep.json lists every problem', () => {
    const message = errorOf(() => parseInput('s/sweep.json', JSON.stringify({ ...sweep, mode: 'fast', peak: { qps: 'high' } }))).message;
    // Checked against schemas/sweep.schema.json, the same rules `mlbench sweep` writes by.
    expect(message).toContain(`s/sweep.json: $.mode: expected one of 'server', 'concurrency', found string "fast"`);
    expect(message).toContain('s/sweep.json: $.peak.qps: expected number, found string "high"');
    expect(message).toContain("s/sweep.json: $.peak: missing required property 'confirmation'");
  });

  it('something else', () => {
    expect(errorOf(() => parseInput('x.json', '{"a": 1}')).message).toBe('x.json: not an mlbench result.json (no runId) or sweep.json (no sweepId)');
    expect(errorOf(() => parseInput('x.json', '[1]')).message).toContain('x.json: expected a JSON object');
  });
});

describe('findInputFiles', () => {
  it('searches folders, lists a sweep once and not its probe runs', async () => {
    const dir = tempDir('compare-find');
    const a = writeRun(dir, 'a', baseline);
    const b = writeRun(join(dir, 'nested'), 'b', regressed);
    const s = writeSweep(dir, 'sweep', sweep);
    expect(await findInputFiles([dir])).toEqual([a, b, s]);
  });

  it('keeps the command line order and drops duplicates', async () => {
    const dir = tempDir('compare-order');
    const a = writeRun(dir, 'a', baseline);
    const b = writeRun(dir, 'b', regressed);
    expect(await findInputFiles([b, dir, a])).toEqual([b, a]);
  });

  it('a probe run found under an input sweep is dropped, one named on the command line is kept', async () => {
    const dir = tempDir('compare-probe');
    const s = writeSweep(dir, 'sweep', sweep);
    const probe = join(dir, 'sweep', 'probe-400', 'result.json');
    expect(await findInputFiles([s, join(dir, 'sweep', 'probe-400')])).toEqual([s]);
    expect(await findInputFiles([s, probe])).toEqual([s, probe]);
  });

  it('a missing path, an empty folder', async () => {
    await expect(findInputFiles(['/nonexistent/result.json'])).rejects.toThrow('/nonexistent/result.json: no such file or folder');
    const empty = tempDir('compare-empty');
    mkdirSync(join(empty, 'sub'));
    writeJson(join(empty, 'sub', 'other.json'), {});
    await expect(findInputFiles([empty])).rejects.toThrow(`${empty}: no sweep.json, result.json, profile.json in this folder or below it`);
  });
});
