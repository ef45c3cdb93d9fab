import type { ScenarioName } from '../loadgen/types.js';
import { type Cell, type CellAccuracy, measuredRow, runDir, unmeasuredRow } from './build-row.js';
import type { StepOutcome } from './cell-outcome.js';
import { countedValues, median, nearestIndex } from './repetitions.js';
import type { ProfileRow, RepetitionRun, RowRepetitions } from './types.js';

/** A performance run that ended (an interrupted one leaves no outcome). */
export type RepetitionOutcome = Exclude<StepOutcome, { kind: 'aborted' }>;

function repetitionRun(outcome: RepetitionOutcome): RepetitionRun {
  if (outcome.kind !== 'ran') return { status: outcome.kind, value: null, valid: null, resultDir: null, reason: outcome.reason };
  const { result } = outcome;
  return { status: 'ok', value: result.summary.metric.value, valid: result.validity.valid, resultDir: runDir(result), reason: null };
}

/**
 * A row from its performance runs so far. With `count` 1 it is exactly the single run's row.
 * With more, the metric is the median of the counted values (see countedValues), the row is
 * VALID when any repetition is, and its run facts come from the repetition nearest the median.
 * A row none of whose repetitions completed takes the first one's status and every distinct reason.
 */
export function repeatedRow(cell: Cell, scenario: ScenarioName, outcomes: readonly RepetitionOutcome[], count: number, accuracy: CellAccuracy): ProfileRow {
  const [first] = outcomes;
  if (first === undefined) throw new Error('repeatedRow: a row needs at least one repetition');
  if (count === 1) return first.kind === 'ran' ? measuredRow(cell, scenario, first.result, accuracy) : unmeasuredRow(cell, scenario, first.kind, first.reason, accuracy);

  const runs = outcomes.map(repetitionRun);
  const ran = outcomes.flatMap((o) => (o.kind === 'ran' ? [o.result] : []));
  const counted = countedValues(ran.map((r) => ({ value: r.summary.metric.value, valid: r.validity.valid })));
  const middle = median(counted.values);
  const repetitions: RowRepetitions = {
    count,
    valid: counted.validCount,
    values: counted.values,
    min: counted.values.length === 0 ? null : Math.min(...counted.values),
    max: counted.values.length === 0 ? null : Math.max(...counted.values),
    runs,
  };
  if (ran.length === 0) {
    const reasons = [...new Set(runs.map((r) => r.reason ?? ''))].join('; ');
    return { ...unmeasuredRow(cell, scenario, first.kind === 'ran' ? 'failed' : first.kind, reasons, accuracy), repetitions };
  }
  const nearest = middle === null ? -1 : nearestIndex(counted.values, middle);
  const representative = ran[counted.from[nearest] ?? 0]!;
  const row = measuredRow(cell, scenario, representative, accuracy);
  return { ...row, metric: row.metric === null ? null : { ...row.metric, value: middle }, valid: counted.validCount > 0, repetitions };
}
