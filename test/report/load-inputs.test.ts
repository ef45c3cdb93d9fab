import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { loadInputs } from '../../src/report/load-inputs.js';
import { planReport } from '../../src/report/plan.js';
import { tempDir } from '../helpers/cli.js';
import { FIXTURES, fixture } from './fixtures.js';

describe('report inputs', () => {
  it('finds runs and sweeps in folders, with detail.jsonl beside runs', () => {
    const inputs = loadInputs([FIXTURES]);
    expect(inputs.runs).toHaveLength(3);
    expect(inputs.sweeps).toHaveLength(2);
    expect(inputs.runs.every((r) => r.detail !== null)).toBe(true);
  });

  it('a file that is not JSON is a UserError naming it', () => {
    const dir = tempDir('report-bad');
    const path = join(dir, 'result.json');
    writeFileSync(path, '{ not json');
    expect(() => loadInputs([dir])).toThrow(UserError);
    expect(() => loadInputs([dir])).toThrow(path);
  });

  it('a result.json that breaks the schema is a UserError naming it', () => {
    const dir = tempDir('report-schema');
    const path = join(dir, 'result.json');
    writeFileSync(path, JSON.stringify({ runId: 'x' }));
    expect(() => loadInputs([path])).toThrow(path);
  });

  it('JSON that is neither a result nor a sweep, and a missing path, are UserErrors', () => {
    const dir = tempDir('report-other');
    writeFileSync(join(dir, 'other.json'), '{"a":1}');
    expect(() => loadInputs([join(dir, 'other.json')])).toThrow(/neither a result.json/);
    expect(() => loadInputs([join(dir, 'nope')])).toThrow(/no such file/);
    expect(() => loadInputs([dir])).toThrow(/no result.json or sweep.json/);
  });

  it('a run folder without detail.jsonl skips the timeline with a note', () => {
    const dir = tempDir('report-nodetail');
    cpSync(fixture('server-ort'), dir, { recursive: true });
    rmSync(join(dir, 'detail.jsonl'));
    const plan = planReport(loadInputs([dir]));
    expect(plan.charts.some((c) => c.id.endsWith('timeline'))).toBe(false);
    expect(plan.notes.join('\n')).toMatch(/no detail.jsonl beside it, no timeline/);
  });
});
