import type { RunResult } from '../../results/types.js';
import { runCaption, runLabel, uniqueRunLabels } from '../describe.js';
import type { Chart } from '../types.js';
import { spec, titled, WIDTH } from './common.js';

/** Samples/s a run sustained: its headline metric when that is a rate, else completed over duration. */
export function throughputOf(r: RunResult): number {
  const m = r.summary.metric;
  if (m.unit === 'samples/s' && m.value !== null) return m.value;
  return r.summary.samplesCompleted / (r.summary.durationNs / 1e9);
}

function bars(id: string, title: string, subtitle: string, axisTitle: string, values: object[], runs: readonly RunResult[], format: string): Chart {
  return {
    id,
    title,
    caption: runs.map((r) => `${runLabel(r)}: ${runCaption(r)}`).join(' '),
    spec: spec({
      title: titled(title, subtitle),
      width: WIDTH,
      data: { values },
      encoding: {
        y: { field: 'label', type: 'nominal', sort: null, axis: { title: null, labelLimit: 520 } },
        x: { field: 'value', type: 'quantitative', axis: { title: axisTitle } },
      },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            color: { field: 'scenario', type: 'nominal', legend: { title: 'scenario', orient: 'bottom' } },
            tooltip: [{ field: 'label' }, { field: 'value', format }, { field: 'runId' }],
          },
        },
        { mark: { type: 'text', align: 'left', dx: 3 }, encoding: { text: { field: 'value', format } } },
      ],
    }),
  };
}

function outputTokensPerSecond(r: RunResult): number | null {
  return r.summary.tokens?.outputTokensPerSecond ?? null;
}

/**
 * Throughput (samples/s, and output tokens/s for LLM runs) and accuracy across runs (precisions,
 * runtimes, systems, servers). Throughput only from performance runs and accuracy only from
 * accuracy runs, as MLPerf reports them; a measure no run has is listed, not drawn.
 */
export function comparisonBars(runs: readonly RunResult[]): { charts: Chart[]; notMeasured: string[] } {
  const charts: Chart[] = [];
  const notMeasured: string[] = [];
  const perf = runs.filter((r) => r.summary.mode === 'performance');
  if (perf.length > 0) {
    const names = uniqueRunLabels(perf);
    const values = perf.map((r, i) => ({ label: names[i], value: throughputOf(r), scenario: r.summary.scenario, runId: r.runId }));
    charts.push(bars('comparison-throughput', 'Throughput by system', 'performance-mode runs; scenarios differ in what they load, compare like with like', 'throughput (samples/s)', values, perf, '.1f'));
  }
  // LLM runs: output tokens/s beside samples/s (LoadGen's headline for token runs).
  const llm = perf.filter((r) => outputTokensPerSecond(r) !== null);
  if (llm.length > 0) {
    const names = uniqueRunLabels(llm);
    const values = llm.map((r, i) => ({ label: names[i], value: outputTokensPerSecond(r), scenario: r.summary.scenario, runId: r.runId }));
    charts.push(bars('comparison-output-tokens', 'Output tokens/s by system', 'performance-mode LLM runs: output tokens of completed requests over the measured window', 'output tokens/s', values, llm, '.1f'));
  }
  const acc = runs.filter((r) => r.summary.accuracy !== null);
  if (acc.length > 0) {
    const names = uniqueRunLabels(acc);
    const values = acc.map((r, i) => ({ label: names[i], value: r.summary.accuracy!.value, scenario: r.summary.scenario, runId: r.runId, metric: r.summary.accuracy!.metric }));
    const metrics = [...new Set(acc.map((r) => r.summary.accuracy!.metric))].join(', ');
    charts.push(bars('comparison-accuracy', 'Accuracy by system', `accuracy-mode runs, metric ${metrics}`, `accuracy (${metrics}, fraction)`, values, acc, '.4f'));
  } else {
    notMeasured.push('accuracy (no input is an accuracy-mode run)');
  }
  return { charts, notMeasured };
}
