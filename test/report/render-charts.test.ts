import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInputs } from '../../src/report/load-inputs.js';
import { planReport } from '../../src/report/plan.js';
import { writeReport } from '../../src/report/write-report.js';
import { tempDir } from '../helpers/cli.js';
import { FIXTURES } from './fixtures.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('every chart renders to SVG and PNG from fixture results', async () => {
  const plan = planReport(loadInputs([FIXTURES]));
  const out = tempDir('report');
  const written = await writeReport(plan, [FIXTURES], out);

  it('draws each kind of chart the fixtures support', () => {
    const ids = plan.charts.map((c) => c.id);
    for (const kind of ['latency-spectrum', 'latency-histogram', 'timeline']) expect(ids.filter((id) => id.endsWith(kind))).toHaveLength(3);
    expect(ids).toContain('throughput-latency-overlay');
    expect(ids).toContain('comparison-throughput');
    expect(ids).toContain('comparison-accuracy');
    expect(written).toContain(join(out, 'index.html'));
  });

  it.each(plan.charts.map((c) => [c.id, c] as const))('%s: spec, SVG with title and axis titles, PNG', (id, chart) => {
    const spec = JSON.parse(readFileSync(join(out, `${id}.vl.json`), 'utf8')) as { title: { text: string } };
    expect(spec.title.text.length).toBeGreaterThan(0);
    const svg = readFileSync(join(out, `${id}.svg`), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain(spec.title.text.replace(/&/g, '&amp;'));
    // Every chart names its units on an axis.
    expect(svg).toMatch(/\((ms|s|samples\/s|ms, log scale)\)|samples\/s|\(top1, fraction\)/);
    expect(chart.caption).toMatch(/ on .*cores/);
    const png = readFileSync(join(out, `${id}.png`));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // 2x scale: IHDR width is twice the SVG's.
    const svgWidth = Number(/width="([\d.]+)"/.exec(svg)?.[1]);
    expect(png.readUInt32BE(16)).toBe(Math.round(svgWidth * 2));
  });

  it('lists what no input measured, and draws nothing for it', () => {
    expect(plan.notMeasured).toEqual(['client/server time split', 'TTFT / TPOT (LLM time to first token, time per output token)']);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('client/server time split: not measured by any input');
    expect(plan.charts.some((c) => /ttft|tpot|split/i.test(c.id))).toBe(false);
  });
});
