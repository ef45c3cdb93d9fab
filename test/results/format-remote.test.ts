import { describe, expect, it } from 'vitest';
import { latencyStats } from '../../src/loadgen/latency-stats.js';
import { REMOTE_ERROR_KINDS, type RemoteErrorKind } from '../../src/remote/types.js';
import { formatRemote } from '../../src/results/format-remote.js';
import type { RemoteSummary } from '../../src/results/types.js';

const stats = (...valuesNs: number[]) => latencyStats(Float64Array.from(valuesNs).sort());
const noErrors = Object.fromEntries(REMOTE_ERROR_KINDS.map((k) => [k, 0])) as Record<RemoteErrorKind, number>;

const remote: RemoteSummary = {
  protocol: 'kserve-http',
  url: 'http://127.0.0.1:8000',
  model: 'shapes-cnn',
  requests: 4,
  retries: 1,
  errorsByKind: { ...noErrors, refused: 2, connection: 1 },
  serializeNs: stats(10_000, 20_000, 30_000, 40_000),
  networkAndServerNs: stats(1_000_000, 2_000_000, 3_000_000, 6_000_000),
  deserializeNs: stats(5_000, 5_000, 5_000, 5_000),
  serverQueueNs: stats(100_000, 200_000, 300_000, 400_000),
  serverComputeNs: stats(500_000, 500_000, 500_000, 500_000),
  serverTimingSource: 'response parameters (mlbench_server_*)',
  maxOutstanding: 16,
  heldBackQueries: 0,
};

describe('formatRemote', () => {
  it('shows the client/server split, the derived network time and failures by kind', () => {
    expect(formatRemote(remote)).toEqual([
      'Remote: kserve-http http://127.0.0.1:8000, model shapes-cnn: 4 requests (1 retries), at most 16 outstanding, 0 queries held back by that cap',
      '  per request (ms)            mean       p50       p99       max',
      '  client: serialize          0.025     0.030     0.040     0.040',
      '  network + server           3.000     3.000     6.000     6.000',
      '  client: deserialize        0.005     0.005     0.005     0.005',
      '  server: queue              0.250     0.300     0.400     0.400',
      '  server: compute            0.500     0.500     0.500     0.500',
      '  mean network and protocol handling (network + server − queue − compute): 2.250 ms',
      '  server timing: response parameters (mlbench_server_*)',
      '  failed requests by kind: refused 2, connection 1',
    ]);
  });

  it('without server timing says so and derives nothing', () => {
    const lines = formatRemote({ ...remote, serverQueueNs: null, serverComputeNs: null, errorsByKind: noErrors, serverTimingSource: 'the server sent no per-request timing' });
    expect(lines.some((l) => l.includes('server: queue') || l.includes('mean network'))).toBe(false);
    expect(lines.at(-1)).toBe('  server timing: the server sent no per-request timing');
  });
});
