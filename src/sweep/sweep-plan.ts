import type { ServerSweepPlan } from './run-server-sweep.js';

/** What the sweep flags ask for, checked: a Server plan or closed-loop concurrency levels. */
export type SweepPlan =
  | { readonly mode: 'server'; readonly server: ServerSweepPlan }
  | { readonly mode: 'concurrency'; readonly levels: readonly number[] };

export interface SweepPlanFlags {
  readonly qps?: string | undefined;
  readonly findPeak: boolean;
  readonly concurrencyLevels?: string | undefined;
  readonly startQps?: number | undefined;
  readonly precision: number;
  readonly maxProbes: number;
  readonly probeDurationMs: number;
  readonly confirmRetries: number;
  readonly targetQps?: number | undefined;
}

function parseList(text: string, flag: string, integer: boolean, problems: string[]): number[] {
  const values = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const numbers = values.map(Number);
  const bad = values.filter((_, i) => {
    const n = numbers[i]!;
    return !(Number.isFinite(n) && n > 0 && (!integer || Number.isInteger(n)));
  });
  if (values.length === 0) problems.push(`--${flag}: expected a comma-separated list, e.g. --${flag} ${integer ? '1,2,4,8' : '50,100,200'}`);
  if (bad.length > 0) problems.push(`--${flag}: expected positive ${integer ? 'whole numbers' : 'numbers'}, found ${bad.join(', ')}`);
  return numbers;
}

/** Checks the sweep flags together and returns every problem at once (k6-style). */
export function sweepPlanFromFlags(f: SweepPlanFlags): { plan: SweepPlan | null; problems: string[] } {
  const problems: string[] = [];
  const given = [f.qps !== undefined && '--qps', f.findPeak && '--find-peak', f.concurrencyLevels !== undefined && '--concurrency-levels'].filter(
    (g): g is string => g !== false,
  );
  if (given.length === 0) problems.push('say what to sweep: --find-peak (with --latency-bound-ms), --qps 50,100,200, or --concurrency-levels 1,2,4,8');
  if (given.length > 1) problems.push(`${given.join(' and ')} both given: pick one`);
  if (f.targetQps !== undefined) problems.push('--target-qps does not apply to a sweep: give the rates with --qps, or a start rate with --start-qps');
  if (f.startQps !== undefined && !(f.startQps > 0)) problems.push(`--start-qps: expected a positive rate, found ${f.startQps}`);
  if (!(f.precision > 0 && f.precision < 100)) problems.push(`--bracket-percent: expected a percent between 0 and 100, found ${f.precision}`);
  if (!(Number.isInteger(f.maxProbes) && f.maxProbes >= 2)) problems.push(`--max-probes: expected a whole number >= 2, found ${f.maxProbes}`);
  if (!(f.probeDurationMs > 0)) problems.push(`--probe-duration-ms: expected a positive number of ms, found ${f.probeDurationMs}`);
  if (!(Number.isInteger(f.confirmRetries) && f.confirmRetries >= 0)) problems.push(`--confirm-retries: expected a whole number >= 0, found ${f.confirmRetries}`);
  const rates = f.qps === undefined ? [] : parseList(f.qps, 'qps', false, problems);
  const levels = f.concurrencyLevels === undefined ? [] : parseList(f.concurrencyLevels, 'concurrency-levels', true, problems);
  if (problems.length > 0) return { plan: null, problems };
  if (f.concurrencyLevels !== undefined) return { plan: { mode: 'concurrency', levels }, problems };
  const server: ServerSweepPlan = f.findPeak
    ? { method: 'find-peak', startQps: f.startQps ?? null, precisionPercent: f.precision, maxProbes: f.maxProbes, confirmRetries: f.confirmRetries }
    : { method: 'list', rates };
  return { plan: { mode: 'server', server }, problems };
}
