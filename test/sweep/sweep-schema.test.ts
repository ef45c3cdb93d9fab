import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/loadgen/virtual-clock.js';
import { InProcessRunner } from '../../src/sweep/in-process-runner.js';
import { runServerSweep } from '../../src/sweep/run-server-sweep.js';
import { SWEEP_SCHEMA_VERSION, type SweepResult } from '../../src/sweep/types.js';
import { validateSweep } from '../../src/sweep/validate-sweep.js';
import { FakeLibrary, nullSut, settings } from '../helpers/fakes.js';

async function listSweep(): Promise<SweepResult> {
  const clock = new VirtualClock();
  const runner = new InProcessRunner({
    sut: nullSut(clock, { serviceTimeNs: 2_000_000 }),
    qsl: new FakeLibrary(64),
    clock,
    settings: settings({ scenario: 'server', latencyPercentile: 99, latencyBoundMs: 50, minDurationMs: 1000, minQueryCount: 10 }),
    probeDurationMs: 500,
  });
  const outcome = await runServerSweep(runner, { method: 'list', rates: [100, 400] }, new AbortController().signal);
  return {
    schemaVersion: SWEEP_SCHEMA_VERSION,
    tool: { name: 'mlbench', version: '0.1.0' },
    sweepId: '20260101T000000Z-server-abcdef',
    startedAt: '2026-01-01T00:00:00.000Z',
    mode: 'server',
    method: 'list',
    workload: { name: 'fake', source: 'test' },
    backend: { name: 'null', versions: {}, settings: {}, coldStartNs: null },
    system: { hostname: 'test' } as unknown as SweepResult['system'],
    latencyBoundMs: 50,
    percentile: 99,
    points: outcome.points,
    peak: { qps: 400, confirmation: { runId: 'r', valid: true, resultDir: 'r' }, precisionPercent: 4.5, failingQps: 420 },
    notes: [...outcome.notes],
  };
}

describe('schemas/sweep.schema.json', () => {
  it('accepts a sweep the code produces', async () => {
    const sweep = await listSweep();
    expect(sweep.points.map((p) => [p.offeredQps, p.valid])).toEqual([
      [100, true],
      [400, true],
    ]);
    expect(validateSweep(JSON.parse(JSON.stringify(sweep)), 'sweep.json')).toEqual([]);
  });

  it('rejects a point with a field left out, an unknown field, or a wrong kind, and names them', async () => {
    const sweep = JSON.parse(JSON.stringify(await listSweep())) as Record<string, unknown> & { points: Record<string, unknown>[] };
    delete sweep.points[0]!['goodputQps'];
    sweep.points[1]!['extra'] = 1;
    sweep.points[1]!['kind'] = 'warmup';
    sweep['peak'] = { qps: 1 };
    const problems = validateSweep(sweep, 'sweep.json');
    const text = problems.map((p) => `${p.path} ${p.message}`).join('\n');
    expect(text).toContain('goodputQps');
    expect(text).toContain('extra');
    expect(text).toContain('kind');
    expect(text).toContain('peak');
  });
});
