import type { RunResult } from '../../results/types.js';
import { runCaption, runLabel } from '../describe.js';
import type { Chart } from '../types.js';
import { spec, titled, WIDTH } from './common.js';

/** One stacked segment: a part of a request's mean time. */
export interface SplitSegment {
  readonly label: string;
  readonly part: string;
  /** Stacking order, client first, as a request travels. */
  readonly order: number;
  readonly meanMs: number;
}

/**
 * The mean time of one request, part by part: client serialize, the wait for the answer (split
 * into server queue, server compute and the rest when the server reports its timing), client
 * deserialize. The rest is network plus both sides' protocol handling.
 */
export function splitSegments(r: RunResult, label: string): SplitSegment[] {
  const remote = r.remote;
  if (remote === undefined || remote.networkAndServerNs === null) return [];
  const ms = (ns: number): number => ns / 1e6;
  const segments: SplitSegment[] = [{ label, part: 'client: serialize', order: 0, meanMs: ms(remote.serializeNs?.meanNs ?? 0) }];
  const wait = remote.networkAndServerNs.meanNs;
  const { serverQueueNs: queue, serverComputeNs: compute } = remote;
  if (queue !== null && compute !== null) {
    segments.push(
      { label, part: 'network and protocol handling', order: 1, meanMs: ms(Math.max(0, wait - queue.meanNs - compute.meanNs)) },
      { label, part: 'server: queue', order: 2, meanMs: ms(queue.meanNs) },
      { label, part: 'server: compute', order: 3, meanMs: ms(compute.meanNs) },
    );
  } else {
    segments.push({ label, part: 'network + server (not split: the server reports no timing)', order: 1, meanMs: ms(wait) });
  }
  segments.push({ label, part: 'client: deserialize', order: 4, meanMs: ms(remote.deserializeNs?.meanNs ?? 0) });
  return segments;
}

/** Where a request's time goes, client against server, one bar per run against a remote server; null when none was. */
export function clientServerSplit(runs: readonly RunResult[]): Chart | null {
  const remote = runs.filter((r) => r.remote !== undefined && r.remote.networkAndServerNs !== null);
  if (remote.length === 0) return null;
  const values = remote.flatMap((r) => splitSegments(r, `${runLabel(r)} · ${r.runId}`));
  return {
    id: 'client-server-split',
    title: 'Client/server time split',
    caption: remote.map((r) => `${runLabel(r)}: ${runCaption(r)}`).join(' '),
    spec: spec({
      title: titled('Client/server time split', 'mean time per successful request; server parts as the server reported them'),
      width: WIDTH,
      data: { values },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'label', type: 'nominal', sort: null, axis: { title: null, labelLimit: 520 } },
        x: { field: 'meanMs', type: 'quantitative', stack: 'zero', axis: { title: 'mean time per request (ms)' } },
        color: { field: 'part', type: 'nominal', sort: { field: 'order' }, legend: { title: null, orient: 'bottom', columns: 2 } },
        order: { field: 'order', type: 'quantitative' },
        tooltip: [{ field: 'label' }, { field: 'part' }, { field: 'meanMs', format: '.3f' }],
      },
    }),
  };
}
