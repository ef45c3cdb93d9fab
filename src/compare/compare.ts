import { changePercent } from './change.js';
import { groupIdentities } from './group.js';
import { headlineOf } from './headline.js';
import { identityOf } from './identity.js';
import { type CompareRow, type Comparison, type HeadlineMetrics, type LoadedInput, METRIC_NAMES, type MetricName } from './types.js';

/** Puts the inputs side by side; the first is the baseline every change is measured against. */
export function buildComparison(inputs: readonly LoadedInput[]): Comparison {
  const first = inputs[0];
  if (first === undefined) throw new Error('buildComparison needs at least one input');
  const baseline = headlineOf(first);
  const rows: CompareRow[] = inputs.map((input, i) => {
    const headline = headlineOf(input);
    return {
      label: input.kind === 'result' ? input.result.runId : input.sweep.sweepId,
      file: input.file,
      kind: input.kind,
      identity: identityOf(input),
      headline,
      changePercent: changes(headline, i === 0 ? null : baseline),
    };
  });
  const { same, varies } = groupIdentities(rows.map((r) => r.identity));
  return { same, varies, rows };
}

function changes(row: HeadlineMetrics, baseline: HeadlineMetrics | null): Record<MetricName, number | null> {
  const out = {} as Record<MetricName, number | null>;
  for (const name of METRIC_NAMES) {
    // A latency in ms against a rate in samples/s (SingleStream vs Server) has no ratio.
    const comparable = baseline !== null && (name !== 'metric' || row.metric.unit === baseline.metric.unit);
    out[name] = comparable ? changePercent(row.values[name], baseline.values[name]) : null;
  }
  return out;
}
