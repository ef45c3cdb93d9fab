import type { RunResult } from '../../results/types.js';
import { runCaption, runLabel, slug } from '../describe.js';
import { logBins } from '../hdr.js';
import type { Chart } from '../types.js';
import { HEIGHT, spec, titled, WIDTH } from './common.js';

/** How many samples took how long: the HDR buckets summed into log-spaced bins. */
export function latencyHistogram(r: RunResult): Chart | null {
  const stats = r.summary.sampleLatency ?? r.summary.queryLatency;
  if (stats === null || stats.count === 0) return null;
  const which = r.summary.sampleLatency === null ? 'queries' : 'samples';
  const bins = logBins(stats.hdrHistogram);
  const bound = r.effectiveSettings.latencyBoundMs;
  const layers: Record<string, unknown>[] = [
    {
      data: { values: bins },
      mark: { type: 'rect', color: '#4c78a8' },
      encoding: {
        x: { field: 'fromMs', type: 'quantitative', scale: { type: 'log' }, axis: { title: 'latency (ms, log scale)' } },
        x2: { field: 'toMs' },
        y: { field: 'count', type: 'quantitative', axis: { title: `${which} per bin (20 bins per decade)` } },
        y2: { datum: 0 },
        tooltip: [
          { field: 'fromMs', type: 'quantitative', format: '.3f', title: 'from (ms)' },
          { field: 'toMs', type: 'quantitative', format: '.3f', title: 'to (ms)' },
          { field: 'count', type: 'quantitative', title: which },
        ],
      },
    },
  ];
  if (bound !== null) {
    layers.push({
      data: { values: [{ boundMs: bound, label: `bound ${bound} ms` }] },
      layer: [
        { mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4] }, encoding: { x: { field: 'boundMs', type: 'quantitative' } } },
        {
          mark: { type: 'text', color: '#d62728', align: 'left', dx: 4, y: 8 },
          encoding: { x: { field: 'boundMs', type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
    });
  }
  const title = `Latency histogram — ${runLabel(r)}`;
  return {
    id: `${slug(r.runId)}-latency-histogram`,
    title,
    caption: runCaption(r),
    spec: spec({
      title: titled('Latency histogram', runLabel(r), `${stats.count} ${which}, min ${(stats.minNs / 1e6).toFixed(3)} ms, max ${(stats.maxNs / 1e6).toFixed(3)} ms`),
      width: WIDTH,
      height: HEIGHT,
      layer: layers,
    }),
  };
}
