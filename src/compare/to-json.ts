import type { GateOutcome } from './gate-check.js';
import { METRIC_INFO } from './metric-info.js';
import type { Comparison } from './types.js';

/** `--json`: the comparison and gate outcomes as plain data, identity fields as objects. */
export function comparisonJson(comparison: Comparison, outcomes: readonly GateOutcome[]): object {
  return {
    baseline: comparison.rows[0]?.label ?? null,
    same: Object.fromEntries(comparison.same.map((f) => [f.key, f.value])),
    varies: comparison.varies,
    // Each metric's unit and direction, so a reader of `values` need not know them; null for `metric` (per row: its unit).
    metrics: METRIC_INFO,
    rows: comparison.rows.map((row) => ({
      label: row.label,
      file: row.file,
      kind: row.kind,
      // 1-based number of the row the changes are against; null for a baseline.
      against: row.baseline === null ? null : row.baseline + 1,
      identity: Object.fromEntries(row.identity.map((f) => [f.key, f.value])),
      valid: row.headline.valid,
      metric: row.headline.metric,
      throughputBasis: row.headline.throughputBasis,
      values: row.headline.values,
      changePercent: row.changePercent,
    })),
    gates: outcomes.map((o) => ({ gate: o.gate.text, metric: o.gate.metric, op: o.gate.op, threshold: o.gate.threshold, tripped: o.tripped, checks: o.checks })),
    gatesPassed: outcomes.every((o) => !o.tripped),
    notes: comparison.notes,
  };
}
