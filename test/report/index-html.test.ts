import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadInputs } from '../../src/report/load-inputs.js';
import { planReport } from '../../src/report/plan.js';
import { writeReport } from '../../src/report/write-report.js';
import { llmContinuous, llmStatic } from '../compare/llm-results.js';
import { tempDir } from '../helpers/cli.js';
import { FIXTURES } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';

/** CI pre-installs Debian's chromium; a root shell without it installs it here rather than skip. */
function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} is missing: install it with 'apt-get install -y chromium' (as root)`);
  try {
    execFileSync('apt-get', ['update'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', 'chromium', 'fonts-dejavu-core'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (e) {
    throw new Error(`${CHROMIUM} is missing and 'apt-get install -y chromium' failed: ${(e as Error).message}`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
}

describe('index.html in headless Chromium', () => {
  const out = tempDir('report-html');
  let chartCount = 0;

  beforeAll(async () => {
    ensureChromium();
    // The fixture runs and sweeps, plus two LLM runs: every kind of chart, the token ones included.
    const llm = tempDir('report-html-llm');
    for (const r of [llmContinuous, llmStatic]) {
      mkdirSync(join(llm, r.runId));
      writeFileSync(join(llm, r.runId, 'result.json'), JSON.stringify(r));
    }
    const plan = planReport(loadInputs([FIXTURES, llm]));
    chartCount = plan.charts.length;
    expect(plan.charts.map((c) => c.id)).toEqual(expect.arrayContaining(['token-latency', 'comparison-output-tokens']));
    await writeReport(plan, [FIXTURES, llm], out);
  }, 300_000);

  it('has no script or stylesheet from the network', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<(script|link|img)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
  });

  it('shows every chart, with no console errors and no network requests', async () => {
    const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'mlbench-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        requests.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(join(out, 'index.html')).href);
      // A string: the test is typed for Node, not the DOM; true, not the views, comes back.
      await page.evaluate('window.chartsDone.then(() => true)');
      const figures = await page.locator('figure').count();
      const drawn = await page.locator('figure .chart svg.marks').count();
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      expect(figures).toBe(chartCount);
      expect(drawn).toBe(chartCount);
      await expect(page.locator('body').innerText()).resolves.toContain('not measured by any input');
    } finally {
      await context.close();
    }
  });
});
