import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReportPlan } from './types.js';

/**
 * One self-contained index.html: the vega, vega-lite and vega-embed browser bundles inlined,
 * the specs as JSON, so it opens offline (a lab machine, an attachment) and stays interactive.
 */

/** A package's browser bundle beside its entry point (their `exports` hide `build/*.min.js`). */
function bundle(pkg: string, file: string): string {
  const entry = fileURLToPath(import.meta.resolve(pkg));
  return readFileSync(join(dirname(entry), file), 'utf8');
}

let bundles: string | null = null;
function inlineBundles(): string {
  bundles ??= [bundle('vega', 'vega.min.js'), bundle('vega-lite', 'vega-lite.min.js'), bundle('vega-embed', 'vega-embed.min.js')]
    .map((js) => `<script>${js.replace(/<\/script/gi, '<\\/script')}</script>`)
    .join('\n');
  return bundles;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1000px; color: #222; padding: 0 1rem; }
figure { margin: 2rem 0; padding: 1rem; border: 1px solid #ddd; border-radius: 6px; }
figcaption { font-size: 0.9rem; color: #444; margin-top: 0.5rem; }
figcaption a { margin-right: 0.75rem; }
.missing li, .notes li { color: #555; }
`;

export function renderHtml(plan: ReportPlan, inputs: readonly string[]): string {
  const figures = plan.charts
    .map(
      (c) => `<figure id="fig-${esc(c.id)}">
  <div class="chart" id="chart-${esc(c.id)}"></div>
  <figcaption><strong>${esc(c.title)}</strong><br>${esc(c.caption)}<br>
    <a href="${esc(c.id)}.vl.json">vega-lite spec</a><a href="${esc(c.id)}.svg">SVG</a><a href="${esc(c.id)}.png">PNG</a></figcaption>
</figure>`,
    )
    .join('\n');
  const missing = plan.notMeasured.map((m) => `<li>${esc(m)}: not measured by any input</li>`).join('\n');
  const notes = plan.notes.map((n) => `<li>${esc(n)}</li>`).join('\n');
  const specs = Object.fromEntries(plan.charts.map((c) => [c.id, c.spec]));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mlbench report</title>
<style>${STYLE}</style>
${inlineBundles()}
</head>
<body>
<h1>mlbench report</h1>
<p>From: ${inputs.map((i) => `<code>${esc(i)}</code>`).join(', ')}. ${plan.charts.length} charts.</p>
${missing === '' ? '' : `<h2>Not drawn</h2>\n<ul class="missing">\n${missing}\n</ul>`}
${notes === '' ? '' : `<h2>Notes</h2>\n<ul class="notes">\n${notes}\n</ul>`}
${figures}
<script type="application/json" id="specs">${scriptJson(specs)}</script>
<script>
const specs = JSON.parse(document.getElementById('specs').textContent);
// No editor action: it would open the Vega editor online; export and source work offline.
const options = { renderer: 'svg', actions: { export: true, source: true, compiled: false, editor: false } };
window.chartsDone = Promise.all(Object.entries(specs).map(([id, spec]) => vegaEmbed('#chart-' + CSS.escape(id), spec, options)));
window.chartsDone.catch((e) => console.error(e));
</script>
</body>
</html>
`;
}
