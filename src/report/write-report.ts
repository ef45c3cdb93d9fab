import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml } from './html.js';
import { renderSvg, svgToPng } from './render.js';
import type { ReportPlan } from './types.js';

/** Writes each chart as `<id>.vl.json`, `.svg`, `.png`, then index.html; returns the paths written. */
export async function writeReport(plan: ReportPlan, inputs: readonly string[], outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, data: string | Buffer) => {
    const path = join(outDir, name);
    writeFileSync(path, data);
    written.push(path);
  };
  for (const chart of plan.charts) {
    write(`${chart.id}.vl.json`, `${JSON.stringify(chart.spec, null, 2)}\n`);
    const svg = await renderSvg(chart.spec);
    write(`${chart.id}.svg`, svg);
    write(`${chart.id}.png`, svgToPng(svg));
  }
  write('index.html', renderHtml(plan, inputs));
  return written;
}
