import type { SweepResult } from '../../sweep/types.js';
import { slug, sweepCaption, sweepLabel } from '../describe.js';
import type { Chart } from '../types.js';
import { HEIGHT, spec, titled, WIDTH } from './common.js';

type Pct = 'p50' | 'p90' | 'p99';

/** The judged percentile's column, or the nearest one the sweep records. */
function judged(percentile: number): Pct {
  return percentile >= 99 ? 'p99' : percentile >= 90 ? 'p90' : 'p50';
}

/**
 * Latency against achieved throughput for one or more sweeps: the bound as a dashed line, each
 * peak as a vertical line and a star on its confirmation run. One sweep shows p50/p90/p99;
 * several overlay the judged percentile, one colour per system.
 */
export function throughputLatency(sweeps: readonly SweepResult[]): Chart | null {
  if (sweeps.length === 0) return null;
  const overlay = sweeps.length > 1;
  const rows = sweeps.flatMap((s) => {
    const system = sweepLabel(s);
    const pcts: Pct[] = overlay ? [judged(s.percentile)] : ['p50', 'p90', 'p99'];
    return s.points.flatMap((p) =>
      pcts.map((pct) => ({
        series: overlay ? system : pct,
        completedQps: p.completedQps,
        offeredQps: p.offeredQps,
        concurrency: p.concurrency,
        latencyMs: p.latencyNs[pct] / 1e6,
        kind: p.kind,
        meetsBound: p.meetsBound === null ? 'n/a' : p.meetsBound ? 'yes' : 'no',
      })),
    );
  });
  const peaks = sweeps.flatMap((s) => {
    if (s.peak === null) return [];
    const conf = s.points.find((p) => p.kind === 'confirmation' && p.runId === s.peak!.confirmation.runId);
    return [
      {
        series: overlay ? sweepLabel(s) : judged(s.percentile),
        peakQps: s.peak.qps,
        latencyMs: conf === undefined ? null : conf.latencyNs[judged(s.percentile)] / 1e6,
        completedQps: conf?.completedQps ?? s.peak.qps,
        label: `peak: ${s.peak.qps} QPS offered`,
      },
    ];
  });
  const bounds = [...new Set(sweeps.map((s) => s.latencyBoundMs).filter((b) => b !== null))].map((b) => ({ boundMs: b, label: `bound ${b} ms` }));
  const x = { field: 'completedQps', type: 'quantitative', axis: { title: 'throughput: completed samples/s' } };
  const color = { field: 'series', type: 'nominal', legend: { title: overlay ? 'system' : 'percentile', orient: 'top-left' } };
  const layers: Record<string, unknown>[] = [
    {
      data: { values: rows },
      mark: { type: 'line', point: { filled: true, size: 40 } },
      encoding: {
        x,
        y: { field: 'latencyMs', type: 'quantitative', scale: { type: 'log' }, axis: { title: 'latency (ms, log scale)' } },
        color,
        order: { field: 'completedQps', type: 'quantitative' },
        tooltip: [
          { field: 'series' },
          { field: 'kind' },
          { field: 'offeredQps', title: 'offered QPS' },
          { field: 'completedQps', format: '.1f', title: 'completed/s' },
          { field: 'latencyMs', format: '.2f', title: 'latency (ms)' },
          { field: 'meetsBound', title: 'meets bound' },
        ],
      },
    },
  ];
  if (bounds.length > 0) {
    layers.push({
      data: { values: bounds },
      layer: [
        { mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4] }, encoding: { y: { field: 'boundMs', type: 'quantitative' } } },
        { mark: { type: 'text', color: '#d62728', align: 'right', dy: -6, x: 'width' }, encoding: { y: { field: 'boundMs', type: 'quantitative' }, text: { field: 'label' } } },
      ],
    });
  }
  if (peaks.length > 0) {
    layers.push({
      data: { values: peaks },
      layer: [
        // The x axis is completed samples/s: the rule goes through what the confirmation run
        // completed; the label names the offered rate the peak is reported as.
        { mark: { type: 'rule', strokeDash: [2, 3] }, encoding: { x: { field: 'completedQps', type: 'quantitative' }, color } },
        {
          transform: [{ filter: 'datum.latencyMs !== null' }],
          mark: { type: 'point', shape: 'diamond', size: 160, filled: true, stroke: 'black' },
          encoding: { x, y: { field: 'latencyMs', type: 'quantitative' }, color },
        },
        { mark: { type: 'text', align: 'left', dx: 4, angle: 0, y: 10 }, encoding: { x: { field: 'completedQps', type: 'quantitative' }, text: { field: 'label' }, color } },
      ],
    });
  }
  const title = overlay ? `Throughput–latency curves — ${sweeps.length} systems` : `Throughput–latency curve — ${sweepLabel(sweeps[0]!)}`;
  return {
    id: overlay ? 'throughput-latency-overlay' : `${slug(sweeps[0]!.sweepId)}-throughput-latency`,
    title,
    caption: sweeps.map(sweepCaption).join(' '),
    spec: spec({
      title: titled(overlay ? 'Throughput–latency curves' : 'Throughput–latency curve', overlay ? `${sweeps.length} systems` : sweepLabel(sweeps[0]!), 'dashed: latency bound; dotted line and diamond: the confirmed peak (highest offered rate meeting the bound)'),
      width: WIDTH,
      height: HEIGHT,
      layer: layers,
    }),
  };
}
