import type { RunResult } from '../../results/types.js';
import { runCaption, runLabel, slug } from '../describe.js';
import type { Timeline } from '../timeline-data.js';
import type { Chart } from '../types.js';
import { spec, titled, WIDTH } from './common.js';

const PANEL_HEIGHT = 150;

/**
 * The measured phase over time, three panels on one time axis: offered and completed samples/s;
 * p99 latency of the samples scheduled in each bucket, against the bound; p99 issue delay.
 * Offline issues its one query at once: only its completions have a shape over time.
 */
export function timelineChart(r: RunResult, t: Timeline): Chart {
  const offline = r.summary.scenario === 'offline';
  const x = { field: 'startS', type: 'quantitative', axis: { title: 'time since the phase started (s)' } };
  const rates = t.buckets.flatMap((b) => [
    ...(offline ? [] : [{ startS: b.startS, series: 'offered (scheduled)', perS: b.offeredPerS }]),
    { startS: b.startS, series: 'completed', perS: b.completedPerS },
    ...(b.failedPerS > 0 ? [{ startS: b.startS, series: 'failed', perS: b.failedPerS }] : []),
  ]);
  const bound = r.effectiveSettings.latencyBoundMs;
  const throughput: Record<string, unknown> = {
      title: 'throughput',
      data: { values: rates },
      mark: { type: 'line', interpolate: 'step-after', point: true },
      encoding: {
        x,
        y: { field: 'perS', type: 'quantitative', axis: { title: 'samples/s' } },
        color: { field: 'series', type: 'nominal', legend: { title: null, orient: 'top' } },
        tooltip: [{ field: 'series' }, { field: 'startS', title: 'from (s)' }, { field: 'perS', format: '.1f', title: 'samples/s' }],
      },
  };
  const latency: Record<string, unknown> = {
      title: 'p99 latency of samples scheduled in the bucket',
      layer: [
        {
          data: { values: t.buckets.filter((b) => b.latencyP99Ms !== null) },
          mark: { type: 'line', interpolate: 'step-after', color: '#f58518', point: { color: '#f58518' } },
          encoding: { x, y: { field: 'latencyP99Ms', type: 'quantitative', axis: { title: 'p99 latency (ms)' } } },
        },
        ...(bound === null
          ? []
          : [
              {
                data: { values: [{ boundMs: bound }] },
                mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4] },
                encoding: { y: { field: 'boundMs', type: 'quantitative' } },
              },
            ]),
      ],
  };
  // Offline's one query has one latency and one issue delay: nothing to draw over time.
  const panels = offline ? [throughput] : [throughput, latency];
  if (!offline) {
    panels.push({
      title: 'p99 issue delay (issued minus scheduled)',
      data: { values: t.buckets.filter((b) => b.issueDelayP99Ms !== null) },
      mark: { type: 'line', interpolate: 'step-after', color: '#54a24b', point: { color: '#54a24b' } },
      encoding: { x, y: { field: 'issueDelayP99Ms', type: 'quantitative', axis: { title: 'p99 issue delay (ms)' } } },
    });
  }
  const title = `Run timeline — ${runLabel(r)}`;
  return {
    id: `${slug(r.runId)}-timeline`,
    title,
    caption: runCaption(r),
    spec: spec({
      title: titled('Run timeline', runLabel(r), `${t.phase} phase from detail.jsonl, ${t.bucketMs} ms buckets${bound === null ? '' : `; dashed: bound ${bound} ms`}`),
      vconcat: panels.map((p) => ({ width: WIDTH, height: PANEL_HEIGHT, ...p })),
      resolve: { scale: { color: 'independent' } },
    }),
  };
}
