import Table from 'cli-table3';
import { formatAccuracy, formatBytes, formatMs, formatRowMetric, formatVerdict, oneLine, percent, percentPoints, verdictMark } from './format-values.js';
import { NOISE_RATIO, SCENARIO_BETTER, tableOrder } from './rank.js';
import type { ProfileResult, ProfileRow } from './types.js';
import { describeVariant } from './variants.js';

const BEST_MARK = '★ best';
const TIED_MARK = '≈ tied best';

/** One line per backend when each backend runs one variant: the settings then need no column. */
function sharedSettings(profile: ProfileResult): string[] | null {
  const { variants, backends } = profile.plan;
  if (backends.some((b) => variants.filter((v) => v.backend === b).length !== 1)) return null;
  return variants.map((v) => `${v.backend}: ${describeVariant(v)}`);
}

function statusCell(row: ProfileRow, note: number | undefined): string {
  return `${row.status === 'unsupported' ? 'unsupported here' : 'failed'} [${note}]`;
}

/**
 * The profile as the terminal and summary.txt show it: the matrix sorted by the chosen
 * scenario's metric, the best qualifying row of each scenario marked, unsupported and failed
 * rows at the bottom with their reasons listed under the table. Pure: returns the string.
 */
export function formatProfile(profile: ProfileResult): string {
  const { plan, rows } = profile;
  const shared = sharedSettings(profile);
  const repeated = plan.repetitions > 1;
  const bests = Object.values(profile.best).flatMap((b) => (b == null ? [] : [b]));
  const bestIndices = new Set(bests.filter((b) => b.tiedWith.length === 0).map((b) => b.row));
  const tiedIndices = new Set(bests.flatMap((b) => (b.tiedWith.length === 0 ? [] : [b.row, ...b.tiedWith])));
  // One note per cell and reason: tfjs fp16's two scenarios share one line.
  const notes: { text: string; key: string }[] = [];
  const noteFor = (row: ProfileRow): number => {
    const key = `${row.backend}\u0000${row.variant}\u0000${row.precision}\u0000${row.status}\u0000${row.reason}`;
    let index = notes.findIndex((n) => n.key === key);
    if (index < 0) {
      notes.push({ key, text: `${row.backend}${shared === null ? ` [${row.variant}]` : ''} ${row.precision}: ${oneLine(row.reason ?? '')}` });
      index = notes.length - 1;
    }
    return index + 1;
  };
  const table = new Table({
    head: [
      'backend',
      ...(shared === null ? ['settings'] : []),
      'precision',
      'scenario',
      'metric',
      'verdict',
      'accuracy',
      'Δ vs fp32',
      '≥99%',
      '≥99.9%',
      'fp32 agree',
      'size',
      'peak RSS',
      'cold start',
      'ran on',
    ],
    // No colour: read in CI logs and diffs as often as on a terminal. No rule between rows: the matrix is long.
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  tableOrder(rows, plan.sortBy).forEach((index) => {
    const row = rows[index]!;
    const measured = row.status === 'ok';
    const a = row.accuracy;
    table.push([
      row.backend,
      ...(shared === null ? [row.variant] : []),
      row.precision,
      row.scenario,
      measured ? `${formatRowMetric(row)}${bestIndices.has(index) ? ` ${BEST_MARK}` : tiedIndices.has(index) ? ` ${TIED_MARK}` : ''}` : statusCell(row, noteFor(row)),
      formatVerdict(row),
      formatAccuracy(a),
      a === null ? '-' : percentPoints(a.delta),
      verdictMark(a?.pass99 ?? null),
      verdictMark(a?.pass999 ?? null),
      percent(a?.agreement ?? null),
      formatBytes(row.modelSizeBytes),
      formatBytes(row.peakRssBytes),
      formatMs(row.coldStartMs),
      row.runtime ?? '-',
    ]);
  });

  const measured = rows.filter((r) => r.status === 'ok');
  const valid = measured.filter((r) => r.valid === true).length;
  const count = (status: ProfileRow['status']): number => rows.filter((r) => r.status === status).length;
  const lines = [
    `mlbench profile ${profile.profileId}: workload ${plan.workload.name}, ${plan.profile} profile${profile.status === 'aborted' ? ' (interrupted: the rows measured so far)' : ''}`,
    ...(shared ?? []).map((s) => `settings ${s}`),
    table.toString(),
    `${measured.length} measured (${valid} VALID, ${measured.length - valid} INVALID), ${count('unsupported')} unsupported here, ${count('failed')} failed; sorted by ${plan.sortBy} (${SCENARIO_BETTER[plan.sortBy]} is better)`,
    repeated
      ? `${BEST_MARK}: per scenario, the VALID row with the best median whose accuracy is at least 99% of fp32's on the same runtime settings, its range clear of every other's (${TIED_MARK}: rows whose ranges overlap, which these runs cannot separate)`
      : `${BEST_MARK}: per scenario, the best VALID row whose accuracy is at least 99% of fp32's on the same runtime settings, ahead of every other by at least ${NOISE_RATIO}x (${TIED_MARK}: rows closer than that, which single runs on a shared machine cannot separate)`,
    ...(repeated
      ? [
          `each metric: the median (min-max) of ${plan.repetitions} repetitions, run in rounds across every cell; INVALID repetitions are left out of it while any is VALID (verdict: VALID ones of those asked for)`,
        ]
      : []),
    ...plan.scenarios.map((scenario) => {
      const best = profile.best[scenario];
      const name = (row: ProfileRow): string => `${row.backend} ${row.precision}${shared === null ? ` [${row.variant}]` : ''}`;
      if (best == null) return `best ${scenario}: none (no VALID row within 99% of fp32)`;
      if (best.tiedWith.length === 0) return `best ${scenario}: ${name(rows[best.row]!)}, ${formatRowMetric(rows[best.row]!)}`;
      const tied = [best.row, ...best.tiedWith].map((i) => `${name(rows[i]!)} ${formatRowMetric(rows[i]!)}`);
      const why = repeated ? "overlap the best's range (a row with a single value: within 2x)" : `are within ${NOISE_RATIO}x of the best`;
      return `best ${scenario}: no clear winner: ${tied.join(', ')} ${why}`;
    }),
    ...notes.map((n, i) => `[${i + 1}] ${n.text}`),
  ];
  return `${lines.join('\n')}\n`;
}
