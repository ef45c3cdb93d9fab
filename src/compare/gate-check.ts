import { UserError } from '../cli/errors.js';
import type { Gate } from './gate-parse.js';
import type { Comparison } from './types.js';

/** One input measured against one gate. */
export interface GateCheck {
  readonly label: string;
  readonly value: number | null;
  readonly changePercent: number | null;
  /** 1-based number of the row the change is against; null when the row has none. */
  readonly against: number | null;
  /** The input's scenario metric unit, for showing a `metric` gate's value. */
  readonly metricUnit: string;
  /** null when this input did not measure the metric (or its baseline did not). */
  readonly tripped: boolean | null;
}

export interface GateOutcome {
  readonly gate: Gate;
  readonly checks: readonly GateCheck[];
  readonly tripped: boolean;
}

/**
 * Change gates check every row that has a baseline (every input but #1; a profile row against
 * the same cell of an earlier profile); absolute gates check every row, baselines included,
 * since a limit holds whatever the reference was.
 */
export function checkGate(gate: Gate, comparison: Comparison): GateOutcome {
  const relative = gate.threshold.kind === 'change';
  if (relative && comparison.rows.length < 2) {
    throw new UserError('flag', `--fail-if '${gate.text}' is a change against the first input: give at least two inputs`);
  }
  const rows = relative ? comparison.rows.filter((row) => row.baseline !== null) : comparison.rows;
  const checks = rows.map((row): GateCheck => {
    const value = row.headline.values[gate.metric];
    const change = row.changePercent[gate.metric];
    const measured = gate.threshold.kind === 'change' ? change : value;
    const limit = gate.threshold.kind === 'change' ? gate.threshold.percent : gate.threshold.value;
    const tripped = measured === null ? null : gate.op === '<' ? measured < limit : measured > limit;
    return { label: row.label, value, changePercent: change, against: row.baseline === null ? null : row.baseline + 1, metricUnit: row.headline.metric.unit, tripped };
  });
  return { gate, checks, tripped: checks.some((c) => c.tripped === true) };
}

export function checkGates(gates: readonly Gate[], comparison: Comparison): GateOutcome[] {
  return gates.map((gate) => checkGate(gate, comparison));
}
