import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latencyStats } from '../../src/loadgen/latency-stats.js';
import { clientServerSplit, splitSegments } from '../../src/report/charts/client-server-split.js';
import { loadInputs } from '../../src/report/load-inputs.js';
import { planReport } from '../../src/report/plan.js';
import { writeReport } from '../../src/report/write-report.js';
import type { RemoteSummary, RunResult } from '../../src/results/types.js';
import { serverResult } from '../fixtures/result-fixture.js';
import { tempDir } from '../helpers/cli.js';

const stats = (...valuesNs: number[]) => latencyStats(Float64Array.from(valuesNs).sort());

const remote: RemoteSummary = {
  protocol: 'kserve-http',
  url: 'http://127.0.0.1:8000',
  model: 'shapes-cnn',
  requests: 2,
  retries: 0,
  errorsByKind: { refused: 0, 'server-error': 0, 'client-error': 0, connection: 0, timeout: 0, malformed: 0 },
  serializeNs: stats(20_000, 40_000),
  networkAndServerNs: stats(2_000_000, 4_000_000),
  deserializeNs: stats(10_000, 10_000),
  serverQueueNs: stats(500_000, 1_500_000),
  serverComputeNs: stats(700_000, 700_000),
  serverTimingSource: 'response parameters (mlbench_server_queue_ns, mlbench_server_compute_ns)',
  maxOutstanding: 16,
  heldBackQueries: 0,
};
const remoteRun: RunResult = { ...serverResult, runId: '20261123T220000Z-server-remote', remote };

describe('client/server split chart', () => {
  it('splits the mean request into client, network and server parts that add up to the whole', () => {
    expect(splitSegments(remoteRun, 'r')).toEqual([
      { label: 'r', part: 'client: serialize', order: 0, meanMs: 0.03 },
      { label: 'r', part: 'network and protocol handling', order: 1, meanMs: 1.3 },
      { label: 'r', part: 'server: queue', order: 2, meanMs: 1 },
      { label: 'r', part: 'server: compute', order: 3, meanMs: 0.7 },
      { label: 'r', part: 'client: deserialize', order: 4, meanMs: 0.01 },
    ]);
  });

  it('without server timing keeps the wait whole and says why', () => {
    const plain = { ...remoteRun, remote: { ...remote, serverQueueNs: null, serverComputeNs: null } };
    expect(splitSegments(plain, 'r').map((s) => [s.part, s.meanMs])).toEqual([
      ['client: serialize', 0.03],
      ['network + server (not split: the server reports no timing)', 3],
      ['client: deserialize', 0.01],
    ]);
  });

  it('is drawn only when a run was against a remote server, and renders to SVG', async () => {
    expect(clientServerSplit([serverResult])).toBeNull();
    const root = tempDir('split-inputs');
    const runDir = join(root, remoteRun.runId);
    mkdirSync(runDir);
    writeFileSync(join(runDir, 'result.json'), JSON.stringify(remoteRun));
    const plan = planReport(loadInputs([root]));
    expect(plan.notMeasured).not.toContain('client/server time split');
    expect(plan.charts.map((c) => c.id)).toContain('client-server-split');
    const out = tempDir('split-report');
    await writeReport(plan, [root], out);
    const svg = readFileSync(join(out, 'client-server-split.svg'), 'utf8');
    expect(svg).toContain('Client/server time split');
    expect(svg).toContain('mean time per request (ms)');
  });
});
