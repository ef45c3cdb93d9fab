import { REMOTE_ERROR_KINDS } from '../remote/types.js';
import type { LatencyStats, RemoteSummary } from './types.js';

/**
 * The client/server split of a run against a remote server. Network + server is what the
 * client waited for; when the server reports its queue and compute times, the rest of that
 * wait (network, HTTP/gRPC handling, the server's own serialization) is shown as the difference.
 */
export function formatRemote(remote: RemoteSummary): string[] {
  const lines = [
    `Remote: ${remote.protocol} ${remote.url}, model ${remote.model}: ${remote.requests} requests (${remote.retries} retries), at most ${remote.maxOutstanding} outstanding, ${remote.heldBackQueries} queries held back by that cap`,
  ];
  const rows: [string, LatencyStats | null][] = [
    ['client: serialize', remote.serializeNs],
    ['network + server', remote.networkAndServerNs],
    ['client: deserialize', remote.deserializeNs],
    ['server: queue', remote.serverQueueNs],
    ['server: compute', remote.serverComputeNs],
  ];
  const shown = rows.filter((row): row is [string, LatencyStats] => row[1] !== null);
  if (shown.length > 0) {
    lines.push(`  ${'per request (ms)'.padEnd(22)}${['mean', 'p50', 'p99', 'max'].map((h) => h.padStart(10)).join('')}`);
    for (const [label, stats] of shown) {
      const values = [stats.meanNs, stats.percentilesNs['50'] ?? 0, stats.percentilesNs['99'] ?? 0, stats.maxNs];
      lines.push(`  ${label.padEnd(22)}${values.map((ns) => (ns / 1e6).toFixed(3).padStart(10)).join('')}`);
    }
    const { networkAndServerNs: wait, serverQueueNs: queue, serverComputeNs: compute } = remote;
    if (wait && queue && compute) {
      const restNs = wait.meanNs - queue.meanNs - compute.meanNs;
      lines.push(`  mean network and protocol handling (network + server − queue − compute): ${(restNs / 1e6).toFixed(3)} ms`);
    }
  }
  lines.push(`  server timing: ${remote.serverTimingSource}`);
  const errors = REMOTE_ERROR_KINDS.filter((kind) => remote.errorsByKind[kind] > 0).map((kind) => `${kind} ${remote.errorsByKind[kind]}`);
  if (errors.length > 0) lines.push(`  failed requests by kind: ${errors.join(', ')}`);
  return lines;
}
