import { clientServerSplit } from './charts/client-server-split.js';
import { comparisonBars } from './charts/comparison-bars.js';
import { latencyHistogram } from './charts/latency-histogram.js';
import { latencySpectrum } from './charts/latency-spectrum.js';
import { throughputLatency } from './charts/throughput-latency.js';
import { timelineChart } from './charts/timeline.js';
import { tokenLatency } from './charts/token-latency.js';
import { UNRECORDED_MEASURES } from './measures.js';
import { buildTimeline } from './timeline-data.js';
import type { Chart, ReportInputs, ReportPlan } from './types.js';

/** Which charts the inputs support, and what could not be drawn and why. */
export function planReport(inputs: ReportInputs): ReportPlan {
  const charts: Chart[] = [];
  const notes: string[] = [];
  const notMeasured: string[] = [];

  const tl = throughputLatency(inputs.sweeps.map((s) => s.sweep));
  if (tl !== null) charts.push(tl);
  if (inputs.runs.length >= 2) {
    const cmp = comparisonBars(inputs.runs.map((r) => r.result));
    charts.push(...cmp.charts);
    notMeasured.push(...cmp.notMeasured);
  }
  const split = clientServerSplit(inputs.runs.map((r) => r.result));
  if (split !== null) charts.push(split);
  const tokens = tokenLatency(inputs.runs.map((r) => r.result));
  if (tokens !== null) charts.push(tokens);
  for (const run of inputs.runs) {
    for (const chart of [latencySpectrum(run.result), latencyHistogram(run.result)]) {
      if (chart !== null) charts.push(chart);
      else notes.push(`${run.path}: no latencies recorded, no spectrum or histogram`);
    }
    if (run.detail === null) {
      notes.push(`${run.path}: no detail.jsonl beside it, no timeline`);
      continue;
    }
    const timeline = buildTimeline(run.detail);
    if (timeline === null) notes.push(`${run.path}: detail.jsonl has no measured queries, no timeline`);
    else charts.push(timelineChart(run.result, timeline));
  }
  for (const m of UNRECORDED_MEASURES) {
    if (!inputs.runs.some((r) => m.measuredBy(r.result))) notMeasured.push(m.name);
  }
  return { charts: dedupeIds(charts), notMeasured, notes };
}

/** Two inputs of the same run would write the same files: suffix repeats. */
function dedupeIds(charts: Chart[]): Chart[] {
  const seen = new Map<string, number>();
  return charts.map((c) => {
    const n = seen.get(c.id) ?? 0;
    seen.set(c.id, n + 1);
    return n === 0 ? c : { ...c, id: `${c.id}-${n + 1}` };
  });
}
