import { resolve } from 'node:path';
import { UserError } from '../cli/errors.js';
import { changePercent } from './change.js';
import { groupIdentities } from './group.js';
import { headlineOf } from './headline.js';
import { identityOf } from './identity.js';
import { profileMatchKey, profileRowLabel } from './profile-row.js';
import { type CompareRow, type Comparison, type HeadlineMetrics, type LoadedInput, METRIC_NAMES, type MeasuredInput, type MetricName } from './types.js';

/**
 * Puts the inputs side by side; the first is the baseline every change is measured against,
 * except that a profile row is measured against the same cell (precision, backend, variant,
 * scenario) of an earlier profile, and placed right after it.
 */
export function buildComparison(inputs: readonly LoadedInput[]): Comparison {
  const { measured, notes } = flatten(inputs);
  const ordered = matchedOrder(measured);
  if (ordered.length === 0) {
    throw new UserError('config', `nothing to compare: no input has a result${notes.length === 0 ? '' : `:\n${notes.map((n) => `  ${n}`).join('\n')}`}`);
  }
  const headlines = ordered.map(headlineOf);
  const rows: CompareRow[] = ordered.map((input, i) => {
    const headline = headlines[i]!;
    const baseline = baselineOf(ordered, i);
    return {
      label: labelOf(input),
      file: input.file,
      kind: input.kind,
      baseline,
      identity: identityOf(input),
      headline,
      changePercent: changes(headline, baseline === null ? null : (headlines[baseline] ?? null)),
    };
  });
  const { same, varies } = groupIdentities(rows.map((r) => r.identity));
  return { same, varies, rows, notes };
}

function labelOf(input: MeasuredInput): string {
  if (input.kind === 'sweep') return input.sweep.sweepId;
  return input.profileRow === undefined ? input.result.runId : profileRowLabel(input.profileRow);
}

/**
 * Profiles become their rows. A run that is both a profile row and an input of its own (a
 * folder search, or named twice) is shown once, as the profile row: its label says more.
 */
function flatten(inputs: readonly LoadedInput[]): { measured: MeasuredInput[]; notes: string[] } {
  const profileRowFiles = new Set(inputs.flatMap((i) => (i.kind === 'profile' ? i.rows.map((r) => resolve(r.file)) : [])));
  const seen = new Set<string>(); // profile rows already taken, by resolved path
  const measured: MeasuredInput[] = [];
  const notes = new Set<string>();
  for (const input of inputs) {
    if (input.kind === 'profile') for (const note of input.notes) notes.add(note);
    for (const one of input.kind === 'profile' ? input.rows : [input]) {
      const path = resolve(one.file);
      const isProfileRow = one.kind === 'result' && one.profileRow !== undefined;
      // Plain inputs are already unique by path (findInputFiles); profile rows are unique here.
      if (isProfileRow ? seen.has(path) : profileRowFiles.has(path)) continue;
      if (isProfileRow) seen.add(path);
      measured.push(one);
    }
  }
  return { measured, notes: [...notes] };
}

function matchKeyOf(input: MeasuredInput): string | null {
  return input.kind === 'result' && input.profileRow !== undefined ? profileMatchKey(input.profileRow) : null;
}

/** Input order, but a profile row goes right after the last earlier row of the same cell. */
function matchedOrder(inputs: readonly MeasuredInput[]): MeasuredInput[] {
  const out: MeasuredInput[] = [];
  for (const input of inputs) {
    const key = matchKeyOf(input);
    const last = key === null ? -1 : lastIndexWhere(out, (o) => matchKeyOf(o) === key);
    if (last === -1) out.push(input);
    else out.splice(last + 1, 0, input);
  }
  return out;
}

function lastIndexWhere<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}

/**
 * The row `rows[i]` is compared with: #1, or for a profile row the first row of the same cell.
 * A profile row whose cell first appears here has nothing to be compared with when #1 is a
 * profile row too (another cell): int8 against fp32 is the profile's own table, not a change.
 */
function baselineOf(rows: readonly MeasuredInput[], i: number): number | null {
  if (i === 0) return null;
  const key = matchKeyOf(rows[i]!);
  if (key === null) return 0;
  const first = rows.findIndex((r) => matchKeyOf(r) === key);
  if (first !== i) return first;
  return matchKeyOf(rows[0]!) === null ? 0 : null;
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
