import type { RunResult } from '../../results/types.js';
import { runCaption, runLabel, slug } from '../describe.js';
import { spectrum } from '../hdr.js';
import type { Chart } from '../types.js';
import { HEIGHT, spec, titled, WIDTH } from './common.js';

/**
 * Latency by percentile on a log 1/(1-p) axis, to p99.9 (the classic HdrHistogram plot): the
 * line from the HDR histogram, the dots the exact percentiles from the sorted latencies.
 */
export function latencySpectrum(r: RunResult): Chart | null {
  const stats = r.summary.sampleLatency ?? r.summary.queryLatency;
  if (stats === null || stats.count === 0) return null;
  const which = r.summary.sampleLatency === null ? 'query' : 'sample';
  const hdr = spectrum(stats.hdrHistogram).map((p) => ({ ...p, source: 'HDR histogram' }));
  const exact = Object.entries(stats.percentilesNs)
    .map(([key, ns]) => ({ percentile: Number(key), latencyMs: ns / 1e6, source: 'exact (sorted latencies)' }))
    .filter((p) => p.percentile < 100 && p.percentile <= 99.9)
    .map((p) => ({ ...p, inverseTail: 1 / (1 - p.percentile / 100) }));
  const bound = r.effectiveSettings.latencyBoundMs;
  const x = {
    field: 'inverseTail',
    type: 'quantitative',
    scale: { type: 'log', domain: [1, 1000] },
    axis: { title: 'percentile (log scale of 1/(1−p))', values: [1, 2, 4, 10, 20, 100, 1000], labelExpr: "'p' + format(100 - 100 / datum.value, '.4~f')" },
  };
  const y = { field: 'latencyMs', type: 'quantitative', axis: { title: `${which} latency (ms)` } };
  const color = { field: 'source', type: 'nominal', legend: { title: null, orient: 'top-left' } };
  const tooltip = [
    { field: 'percentile', type: 'quantitative', format: '.3~f', title: 'percentile' },
    { field: 'latencyMs', type: 'quantitative', format: '.3f', title: 'latency (ms)' },
  ];
  const layers: Record<string, unknown>[] = [
    { data: { values: hdr }, mark: { type: 'line', interpolate: 'step-after' }, encoding: { x, y, color, tooltip } },
    { data: { values: exact }, mark: { type: 'point', filled: true, size: 50 }, encoding: { x, y, color, tooltip } },
  ];
  if (bound !== null) {
    layers.push({
      data: { values: [{ boundMs: bound, label: `bound ${bound} ms (p${r.effectiveSettings.latencyPercentile})` }] },
      layer: [
        { mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4] }, encoding: { y: { field: 'boundMs', type: 'quantitative' } } },
        {
          mark: { type: 'text', color: '#d62728', align: 'left', dx: 4, dy: -6, x: 0 },
          encoding: { y: { field: 'boundMs', type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
    });
  }
  const title = `Latency percentile spectrum — ${runLabel(r)}`;
  return {
    id: `${slug(r.runId)}-latency-spectrum`,
    title,
    caption: runCaption(r),
    spec: spec({
      title: titled('Latency percentile spectrum', runLabel(r), `${stats.count} ${which}s; line: HDR histogram (3 significant digits), dots: exact percentiles`),
      width: WIDTH,
      height: HEIGHT,
      layer: layers,
    }),
  };
}
