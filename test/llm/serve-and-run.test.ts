import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../src/results/validate.js';
import { onlyRun, runCli, tempDir } from '../helpers/cli.js';
import { serveLlm } from '../helpers/serve-llm.js';

/**
 * The "done when", as a user runs it: `mlbench serve --llm` in one process, `mlbench
 * --scenario server --backend openai ... --ttft-bound-ms 2000 --tpot-bound-ms 200` in another.
 * Short generations (8 tokens) at a modest fixed rate, so early stopping's 459 queries fit in
 * seconds on a shared 2-core machine, far from the bounds.
 */
describe('mlbench serve --llm, then mlbench --backend openai against it (built CLI, two processes)', () => {
  it('gives TTFT/TPOT/ITL percentiles and a token-SLO verdict', async () => {
    const served = await serveLlm(['--http-port', '0', '--intra-op-threads', '1']);
    try {
      const out = tempDir('serve-and-run');
      const run = await runCli([
        '--scenario', 'server', '--backend', 'openai', '--url', served.url, '--ttft-bound-ms', '2000', '--tpot-bound-ms', '200',
        '--target-qps', '50', '--input-tokens', '16', '--output-tokens', '8', '--min-duration-ms', '1000', '--output', out,
      ]);
      expect(run.stdout).toMatch(/completed tokens per second : [\d.]+ tokens\/s/);
      expect(run.stdout).toMatch(/tokens\s+TTFT \(ms\)\s+TPOT \(ms\)\s+ITL \(ms\)/);
      expect(run.stdout).toContain('✓ ttftConstraint');
      expect(run.code).toBe(0);
      const { result } = onlyRun(out);
      expect(validateDocument('result', result, 'result.json')).toEqual([]);
      const summary = result['summary'] as { samplesCompleted: number; tokens: { outputTokens: number; inputTokens: number; ttftNs: { count: number } } };
      expect(summary.tokens.outputTokens).toBe(8 * summary.samplesCompleted);
      expect(summary.tokens.inputTokens).toBe(16 * summary.samplesCompleted);
      expect(summary.tokens.ttftNs.count).toBe(summary.samplesCompleted);
      expect((result['llm'] as { client: { usageReported: number } }).client.usageReported).toBe(summary.samplesCompleted);
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
  }, 120_000);
});
