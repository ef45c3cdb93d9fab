import { describe, expect, it } from 'vitest';
import { writeRun } from '../fixtures/compare/inputs.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { llmContinuous, llmStatic } from './llm-results.js';

// Needs the built CLI: `npm run build` first (npm test does).
describe('mlbench compare on two LLM run folders (end to end)', () => {
  const dir = tempDir('compare-cli-llm');
  const continuous = writeRun(dir, 'continuous', llmContinuous).replace(/\/result\.json$/, '');
  const staticRun = writeRun(dir, 'static', llmStatic).replace(/\/result\.json$/, '');

  it('a token gate that trips exits 5 and names the run and the change', async () => {
    const r = await runCli(['compare', continuous, staticRun, '--fail-if', 'ttft-p99 > +10%', '--fail-if', 'tokens < -5%']);
    expect(r.code).toBe(5);
    expect(r.stdout).toContain('TTFT p99 ms ↓');
    expect(r.stdout).toContain("FAIL --fail-if 'ttft-p99 > +10%'");
    expect(r.stdout).toContain('run-llm-static: ttft-p99 560.000 (+40.0% vs #1): TRIPPED');
    expect(r.stdout).toContain("pass --fail-if 'tokens < -5%'");
    expect(r.stdout).toContain('run-llm-static: tokens 1900.00 (-5.0% vs #1): ok');
    expect(r.stderr).toBe("mlbench: gate tripped: 'ttft-p99 > +10%'\n");
  });

  it('token gates that hold exit 0; --json has the token values and changes', async () => {
    const r = await runCli(['compare', continuous, staticRun, '--json', '--fail-if', 'tokens<-5%', '--fail-if', 'itl-p99>+10%', '--fail-if', 'tpot-p99>40ms']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { rows: { values: Record<string, number | null>; changePercent: Record<string, number | null> }[]; gatesPassed: boolean };
    expect(json.rows[1]!.values).toMatchObject({ tokens: 1900, 'token-goodput': 90, 'ttft-p50': 50, 'ttft-p99': 560, 'tpot-p50': 10.5, 'tpot-p99': 36, 'itl-p99': 33 });
    expect(json.rows[1]!.changePercent).toMatchObject({ tokens: -5, 'token-goodput': -10, 'ttft-p50': 25, 'ttft-p99': 40, 'tpot-p50': 5, 'tpot-p99': 50, 'itl-p99': 10 });
    expect(json.gatesPassed).toBe(true);
    expect(r.stderr).toBe('');
  });
});
