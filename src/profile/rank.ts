import type { ScenarioName } from '../loadgen/types.js';
import type { ProfileBestRef, ProfileRow } from './types.js';

/** Offline and Server report a rate, SingleStream and MultiStream a latency. */
export const SCENARIO_BETTER = {
  offline: 'higher',
  server: 'higher',
  singlestream: 'lower',
  multistream: 'lower',
} as const satisfies Record<ScenarioName, 'higher' | 'lower'>;

/** Is metric value `a` better than `b` in this scenario? */
export function isBetter(scenario: ScenarioName, a: number, b: number): boolean {
  return SCENARIO_BETTER[scenario] === 'higher' ? a > b : a < b;
}

/** A row that can be recommended: measured, VALID, and within 99% of fp32's accuracy. */
export function qualifies(row: ProfileRow): boolean {
  return row.status === 'ok' && row.valid === true && row.accuracy?.pass99 === true && row.metric?.value != null;
}

/**
 * One run per cell cannot separate two results closer than this ratio on a shared machine. On
 * this project's 2-core VM, with other work beside it, the same computation (shapes-cnn fp32,
 * and fp16, which onnxruntime runs as the same float32 graph) measured 29,279 against 39,483
 * samples/s Offline (1.35x) and a p90 of 0.075 against 0.044 ms SingleStream (1.7x) within one
 * profile. A row is named best only when it leads every other qualifying row by at least 2x;
 * closer rows are reported as tied. (A quiet, dedicated machine is far steadier; the margin is
 * set for the machines this is run on, not for the best case.)
 */
export const NOISE_RATIO = 2;

/** How many times better `a` is than `b` (>= 1 when `a` is at least as good). */
function ratio(scenario: ScenarioName, a: number, b: number): number {
  return SCENARIO_BETTER[scenario] === 'higher' ? a / b : b / a;
}

/** A row's range over its repetitions, when it has two values or more to span one. */
function spread(row: ProfileRow): { min: number; max: number } | null {
  const r = row.repetitions;
  return r === undefined || r.values.length < 2 || r.min === null || r.max === null ? null : { min: r.min, max: r.max };
}

/**
 * Is `better` (the one ahead by median) told apart from `other`? With repetitions on both rows:
 * when their ranges do not overlap (the better's worst beats the other's best). A row with a
 * single value has no range to go by, so a pair with one is held to NOISE_RATIO, as single runs are.
 */
export function separated(scenario: ScenarioName, better: ProfileRow, other: ProfileRow): boolean {
  const a = spread(better);
  const b = spread(other);
  if (a !== null && b !== null) return SCENARIO_BETTER[scenario] === 'higher' ? a.min > b.max : a.max < b.min;
  const betterValue = better.metric?.value ?? null;
  const otherValue = other.metric?.value ?? null;
  return betterValue !== null && otherValue !== null && ratio(scenario, betterValue, otherValue) >= NOISE_RATIO;
}

/**
 * Per scenario, the best qualifying row by median (the first of equals) with every other
 * qualifying row it is not separated from listed as tied, or null when none qualifies.
 */
export function bestRows(rows: readonly ProfileRow[], scenarios: readonly ScenarioName[]): Partial<Record<ScenarioName, ProfileBestRef | null>> {
  const best: Partial<Record<ScenarioName, ProfileBestRef | null>> = {};
  for (const scenario of scenarios) {
    let pick: { index: number; value: number } | null = null;
    for (const [index, row] of rows.entries()) {
      const value = row.metric?.value ?? null;
      if (row.scenario !== scenario || !qualifies(row) || value === null) continue;
      if (pick === null || isBetter(scenario, value, pick.value)) pick = { index, value };
    }
    if (pick === null) {
      best[scenario] = null;
      continue;
    }
    const top = rows[pick.index]!;
    const topIndex = pick.index;
    const tiedWith = [...rows.entries()]
      .filter(([index, row]) => index !== topIndex && row.scenario === scenario && qualifies(row) && !separated(scenario, top, row))
      .map(([index]) => index);
    best[scenario] = bestRef(rows, topIndex, tiedWith);
  }
  return best;
}

function bestRef(rows: readonly ProfileRow[], index: number, tiedWith: readonly number[]): ProfileBestRef {
  const row = rows[index]!;
  const metric = row.metric!;
  return { row: index, backend: row.backend, variant: row.variant, precision: row.precision, metric: { name: metric.name, value: metric.value!, unit: metric.unit }, tiedWith };
}

const cellKey = (row: ProfileRow): string => `${row.backend}\u0000${row.variant}\u0000${row.precision}`;

/**
 * The table's order: measured rows cell by cell, cells ordered by their `sortBy` scenario's
 * metric (best first; cells without one after, in plan order), each cell's scenarios in plan
 * order; then the unsupported and failed rows. Returns indices into `rows`.
 */
export function tableOrder(rows: readonly ProfileRow[], sortBy: ScenarioName): number[] {
  const measured = rows.map((row, i) => ({ row, i })).filter(({ row }) => row.status === 'ok');
  const cells: string[] = [];
  const keyMetric = new Map<string, number>();
  for (const { row } of measured) {
    const key = cellKey(row);
    if (!cells.includes(key)) cells.push(key);
    if (row.scenario === sortBy && row.metric?.value != null) keyMetric.set(key, row.metric.value);
  }
  const rank = (key: string): number | undefined => keyMetric.get(key);
  const orderedCells = cells
    .map((key, planIndex) => ({ key, planIndex }))
    .sort((a, b) => {
      const ma = rank(a.key);
      const mb = rank(b.key);
      if (ma === undefined || mb === undefined) return ma === mb ? a.planIndex - b.planIndex : ma === undefined ? 1 : -1;
      if (ma === mb) return a.planIndex - b.planIndex;
      return isBetter(sortBy, ma, mb) ? -1 : 1;
    })
    .map(({ key }) => key);
  const order = orderedCells.flatMap((key) => measured.filter(({ row }) => cellKey(row) === key).map(({ i }) => i));
  const rest = rows.map((row, i) => ({ row, i })).filter(({ row }) => row.status !== 'ok');
  return [...order, ...rest.map(({ i }) => i)];
}
