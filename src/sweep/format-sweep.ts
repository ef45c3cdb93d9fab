import Table from 'cli-table3';
import type { SweepPoint, SweepResult } from './types.js';

const ms = (ns: number | null): string => (ns === null ? '-' : (ns / 1e6).toFixed(2));
const rate = (qps: number | null): string => (qps === null ? '-' : qps.toFixed(1));

function verdict(p: SweepPoint): string {
  const parts: string[] = [];
  if (p.kind !== 'point') parts.push(p.kind);
  if (p.meetsBound !== null) parts.push(p.meetsBound ? 'meets bound' : 'over bound');
  // A probe is short by design: its own verdict (early stopping) says nothing.
  if (p.valid !== null && p.kind !== 'probe') parts.push(p.valid ? 'VALID' : 'INVALID');
  if (p.loadgenBottleneck) parts.push('loadgen bottleneck: not trusted');
  return parts.join(', ');
}

/** The sweep as summary.txt and the terminal show it: the curve, the peak, the notes. Pure. */
export function formatSweep(sweep: SweepResult): string {
  const first = sweep.mode === 'server' ? 'offered QPS' : 'in flight';
  const table = new Table({
    head: [first, 'completed QPS', 'goodput QPS', 'p50 ms', 'p90 ms', 'p99 ms', 'issue delay p99 ms', 'errors', 'verdict'],
    style: { head: [], border: [] },
  });
  for (const p of sweep.points) {
    table.push([
      sweep.mode === 'server' ? rate(p.offeredQps) : String(p.concurrency ?? '-'),
      rate(p.completedQps),
      rate(p.goodputQps),
      ms(p.latencyNs.p50),
      ms(p.latencyNs.p90),
      ms(p.latencyNs.p99),
      ms(p.issueDelayP99Ns),
      String(p.errors),
      verdict(p),
    ]);
  }
  const lines = [`mlbench sweep ${sweep.sweepId}: ${sweep.mode}, ${sweep.method}, workload ${sweep.workload.name}, backend ${sweep.backend.name}`];
  if (sweep.latencyBoundMs !== null) lines.push(`bound: p${sweep.percentile} <= ${sweep.latencyBoundMs} ms`);
  lines.push(table.toString());
  if (sweep.method === 'find-peak') {
    const peak = sweep.peak;
    lines.push(
      peak === null
        ? 'peak: none confirmed (see notes)'
        : `peak: ${peak.qps} QPS SLO-valid, confirmed VALID by ${peak.confirmation.runId}${peak.failingQps === null ? '' : `; ${peak.failingQps} QPS failed (bracket ${peak.precisionPercent}%)`}`,
    );
  }
  for (const note of sweep.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}
