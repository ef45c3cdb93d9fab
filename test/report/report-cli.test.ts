import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { fixture } from './fixtures.js';

describe('mlbench report (CLI)', () => {
  it('writes spec, SVG and PNG per chart and index.html, and lists them', async () => {
    const out = join(tempDir('report-cli'), 'report');
    const run = await runCli(['report', fixture('sweep-ort-1t'), fixture('server-ort/result.json'), '--out', out]);
    expect(run.stderr).toContain('not measured by any input');
    expect(run.code).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toContain('index.html');
    for (const ext of ['.vl.json', '.svg', '.png']) expect(files.filter((f) => f.endsWith(ext))).toHaveLength(4);
    for (const f of files) expect(run.stdout).toContain(join(out, f));
  });

  it('a bad input exits 2 naming the file', async () => {
    const out = tempDir('report-cli-bad');
    const run = await runCli(['report', join(out, 'missing.json'), '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('missing.json');
    expect(existsSync(join(out, 'index.html'))).toBe(false);
  });
});
