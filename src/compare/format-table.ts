import Table from 'cli-table3';
import { formatChange } from './change.js';
import { formatValue } from './format-value.js';
import { fieldValue } from './group.js';
import { METRIC_INFO } from './metric-info.js';
import { type CompareRow, type Comparison, METRIC_NAMES, type MetricName, TOKEN_METRIC_NAMES } from './types.js';

const HEADINGS = {
  throughput: 'throughput/s ↑',
  goodput: 'goodput/s ↑',
  tokens: 'tokens/s ↑',
  'token-goodput': 'token goodput req/s ↑',
  p50: 'p50 ms ↓',
  p90: 'p90 ms ↓',
  p99: 'p99 ms ↓',
  'p99.9': 'p99.9 ms ↓',
  'ttft-p50': 'TTFT p50 ms ↓',
  'ttft-p99': 'TTFT p99 ms ↓',
  'tpot-p50': 'TPOT p50 ms ↓',
  'tpot-p99': 'TPOT p99 ms ↓',
  'itl-p99': 'ITL p99 ms ↓',
  metric: 'scenario metric',
  accuracy: 'accuracy ↑',
  'server-queue': 'server queue ms ↓',
  'server-compute': 'server compute ms ↓',
  network: 'network ms ↓',
} as const satisfies Record<MetricName, string>;

/**
 * The comparison as text: what is the same, then one table row per input with its varying
 * identity fields and each metric over its change against row 1. Pure: returns the string.
 */
export function formatComparison(comparison: Comparison): string {
  const { rows, same, varies } = comparison;
  const baseline = rows[0];
  if (baseline === undefined) return 'no inputs\n';
  const metrics = shownMetrics(rows);
  // Profile rows are compared cell by cell, not all with #1: then each row says which it is against.
  const perRowBaselines = rows.some((row) => row.baseline !== null && row.baseline !== 0);
  const table = new Table({
    head: ['#', 'input', ...(perRowBaselines ? ['vs'] : []), ...varies, ...metrics.map((m) => HEADINGS[m]), 'valid'],
    // No colour at all: output is read in CI logs and diffs as often as on a terminal.
    style: { head: [], border: [] },
  });
  rows.forEach((row, i) => {
    table.push([
      String(i + 1),
      row.label,
      ...(perRowBaselines ? [row.baseline === null ? '-' : `#${row.baseline + 1}`] : []),
      ...varies.map((key) => fieldValue(row.identity, key) ?? '-'),
      ...metrics.map((m) => cell(row, m)),
      row.headline.valid === null ? '-' : row.headline.valid ? 'VALID' : 'INVALID',
    ]);
  });
  const lines = [
    `Comparing ${rows.length} input${rows.length === 1 ? '' : 's'}; baseline (#1): ${baseline.label}`,
    `same: ${same.length === 0 ? 'nothing' : same.map((f) => `${f.key}=${f.value}`).join(', ')}`,
    `varies: ${varies.length === 0 ? 'nothing (same system, backend and settings)' : varies.join(', ')}`,
    table.toString(),
    perRowBaselines
      ? 'Changes: value / baseline - 1, in percent, against the row in column vs (profile rows: the same precision, backend, variant and scenario). ↑ higher is better, ↓ lower is better.'
      : 'Changes: value / baseline - 1, in percent, against #1. ↑ higher is better, ↓ lower is better.',
    ...profileNotes(comparison.notes),
    ...throughputNotes(rows),
    ...tokenNotes(metrics),
    'Files:',
    ...rows.map((row, i) => `  #${i + 1} ${row.file}`),
  ];
  return `${lines.join('\n')}\n`;
}

function cell(row: CompareRow, name: MetricName): string {
  const value = formatValue(name, row.headline.values[name], row.headline.metric.unit);
  if (row.baseline === null || row.headline.values[name] === null) return value;
  return `${value}\n${formatChange(row.changePercent[name])}`;
}

/**
 * Metrics some input measured. The scenario metric is left out when it repeats throughput or
 * tokens/s for every input (Server, Offline, sweeps, LLM runs), and kept when it says something
 * new (a latency).
 */
function shownMetrics(rows: readonly CompareRow[]): MetricName[] {
  return METRIC_NAMES.filter((name) => {
    if (rows.every((r) => r.headline.values[name] === null)) return false;
    if (name === 'metric') return !rows.every((r) => r.headline.values.metric === r.headline.values.throughput || r.headline.values.metric === r.headline.values.tokens);
    return true;
  });
}

/** Profile rows with nothing to show: listed, so that no row goes missing without a word. */
function profileNotes(notes: readonly string[]): string[] {
  if (notes.length === 0) return [];
  return ['Profile rows without a result:', ...notes.map((note) => `  ${note}`)];
}

/** How each input's throughput was derived, grouped so equal derivations print once. */
function throughputNotes(rows: readonly CompareRow[]): string[] {
  const byBasis = new Map<string, number[]>();
  rows.forEach((row, i) => {
    byBasis.set(row.headline.throughputBasis, [...(byBasis.get(row.headline.throughputBasis) ?? []), i + 1]);
  });
  const unit = METRIC_INFO.throughput.unit;
  return [...byBasis].map(([basis, numbers]) => `Throughput (${unit}) of ${numbers.map((n) => `#${n}`).join(', ')}: ${basis}`);
}

/** What the token columns mean, when the table has any (LLM runs; README "LLM metrics"). */
function tokenNotes(metrics: readonly MetricName[]): string[] {
  if (!metrics.some((m) => (TOKEN_METRIC_NAMES as readonly MetricName[]).includes(m))) return [];
  return [
    'Tokens (LLM runs): tokens/s = output tokens of completed requests / measured window; token goodput = requests/s within every TTFT and TPOT bound;',
    '  TTFT, TPOT, ITL percentiles over completed requests (TPOT per request, ITL per gap between token chunks).',
  ];
}
