import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/types.js';
import { validateDocument } from '../../src/results/validate.js';
import { onlyRun, runCli, tempDir } from '../helpers/cli.js';

/** The verdict decides the exit code: 0 VALID, 3 INVALID. */
function expectExitMatchesVerdict(code: number | null, result: RunResult): void {
  expect(result.status).toBe('completed');
  expect(code).toBe(result.validity.valid ? 0 : 3);
}

describe('mlbench on the built-in default workload (onnxruntime-node, CPU)', () => {
  it('`mlbench --scenario server` writes a schema-valid result with a calibrated rate', async () => {
    const out = tempDir('default-server');
    const r = await runCli(['--scenario', 'server', '--output', out]);
    const { result } = onlyRun(out);
    expect(validateDocument('result', result, 'result.json')).toEqual([]);
    const run = result as unknown as RunResult;
    expectExitMatchesVerdict(r.code, run);
    expect(run.workload.name).toBe('shapes-cnn');
    expect(run.backend.versions['onnxruntime-node']).toBe('1.30.0');
    expect(run.model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run.effectiveSettings.targetQps).toBeGreaterThan(0);
    expect(run.notes.some((n) => n.startsWith('no --target-qps given: calibrated'))).toBe(true);
    expect(run.summary.issueDelay).not.toBeNull();
    expect(r.stdout).toMatch(/Result is *: (VALID|INVALID)/);
    // About 20 s on a quiet machine; on a loaded one early stopping may extend the run up to its
    // 60 s maximum duration (plus calibration), which is correct behaviour, not a hang.
  }, 120_000);

  for (const scenario of ['singlestream', 'multistream', 'offline'] as const) {
    it(`${scenario}: a short run gives a schema-valid result and a verdict`, async () => {
      const out = tempDir(`default-${scenario}`);
      const r = await runCli(['--scenario', scenario, '--min-duration-ms', '1500', '--output', out]);
      const { result } = onlyRun(out);
      expect(validateDocument('result', result, 'result.json')).toEqual([]);
      const run = result as unknown as RunResult;
      expectExitMatchesVerdict(r.code, run);
      expect(run.summary.metric.value).toBeGreaterThan(0);
    });
  }

  it('accuracy mode scores every sample against the workload\'s target', async () => {
    const out = tempDir('default-accuracy');
    const r = await runCli(['--scenario', 'offline', '--mode', 'accuracy', '--output', out]);
    const run = onlyRun(out).result as unknown as RunResult;
    expect(r.code).toBe(0);
    expect(run.summary.accuracy).toMatchObject({ metric: 'top1', target: 0.9, passed: true, sampleCount: 1024 });
    expect(run.validity.checks.map((c) => c.name)).toEqual(['completedAll', 'accuracyTarget']);
  });
});
