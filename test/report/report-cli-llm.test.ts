import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { llmContinuous, llmStatic } from '../compare/llm-results.js';
import { writeRun } from '../fixtures/compare/inputs.js';
import { runCli, tempDir } from '../helpers/cli.js';

// Needs the built CLI: `npm run build` first (npm test does).
describe('mlbench report on two LLM run folders (CLI)', () => {
  it('writes the token chart and the tokens/s bars; TTFT/TPOT is not listed as unmeasured', async () => {
    const dir = tempDir('report-cli-llm');
    writeRun(dir, 'continuous', llmContinuous);
    writeRun(dir, 'static', llmStatic);
    const out = join(dir, 'report');
    const run = await runCli(['report', join(dir, 'continuous'), join(dir, 'static'), '--out', out]);
    expect(run.code).toBe(0);
    const files = readdirSync(out);
    for (const id of ['token-latency', 'comparison-output-tokens']) {
      for (const ext of ['.vl.json', '.svg', '.png']) expect(files).toContain(`${id}${ext}`);
    }
    expect(run.stdout).toContain(join(out, 'token-latency.svg'));
    expect(run.stderr).not.toContain('TTFT / TPOT');
    expect(run.stderr).toContain('not measured by any input: client/server time split');
  });
});
