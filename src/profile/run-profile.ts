import type { RunResult } from '../results/types.js';
import { REFERENCE_PRECISION } from '../workloads/types.js';
import { candidateAccuracy, referenceAccuracy } from './accuracy-delta.js';
import { accuracyPassOf, type Cell, type CellAccuracy, measuredRow, runDir, unmeasuredRow } from './build-row.js';
import { classifyOutcome, type StepOutcome } from './cell-outcome.js';
import { formatAccuracy, formatMetric, oneLine, percent, percentPoints } from './format-values.js';
import type { CellRunner, CellStep } from './runner.js';
import type { ProfilePlan, ProfileRow, RowAccuracy } from './types.js';
import { describeVariant } from './variants.js';

export interface ProfileRunOptions {
  readonly plan: ProfilePlan;
  readonly runner: CellRunner;
  readonly signal: AbortSignal;
  /** Progress text as it happens (`[3/24] ort fp16 offline ... 5234.1 samples/s, VALID (11.2 s)`). */
  readonly onProgress?: (text: string) => void;
  /** Each row as soon as it is known. */
  readonly onRow?: (row: ProfileRow) => void;
  /** Milliseconds, for the time each step took; a fake in tests. */
  readonly nowMs?: () => number;
}

export interface ProfileRunOutcome {
  readonly rows: readonly ProfileRow[];
  readonly aborted: boolean;
}

/** The fp32 cell of a runtime variant: the reference its other precisions are held to. */
interface Reference {
  readonly accuracy: RowAccuracy | null;
  readonly outputs: string | null;
}

const NO_ACCURACY: CellAccuracy = { accuracy: null, note: null, resultDir: null };

/**
 * Runs the matrix: for each runtime variant, for each precision (fp32 first), the accuracy pass
 * (Offline; fp32's outputs are the others' reference), then each performance scenario. A cell
 * whose accuracy pass is unsupported is not run further. Stops between steps when `signal`
 * aborts, keeping the rows so far.
 */
export async function runProfile(o: ProfileRunOptions): Promise<ProfileRunOutcome> {
  const { plan, runner, signal } = o;
  const now = o.nowMs ?? (() => performance.now());
  const progress = o.onProgress ?? (() => {});
  const total = plan.variants.length * plan.precisions.length * (1 + plan.scenarios.length);
  const rows: ProfileRow[] = [];
  let done = 0;
  const push = (row: ProfileRow): void => {
    rows.push(row);
    o.onRow?.(row);
  };
  const label = (cell: Cell, what: string): string => {
    const many = plan.variants.filter((v) => v.backend === cell.variant.backend).length > 1;
    return `[${++done}/${total}] ${cell.variant.backend}${many ? ` [${describeVariant(cell.variant)}]` : ''} ${cell.precision} ${what}`;
  };
  /** Runs one step. Progress: the label now; the caller ends the line of a step that ran, with `took`. */
  const run = async (step: CellStep, what: string): Promise<{ outcome: StepOutcome; took: string }> => {
    progress(`${label(step, what)} ... `);
    const started = now();
    const outcome = classifyOutcome(await runner.run(step, signal), signal.aborted);
    const took = ` (${((now() - started) / 1000).toFixed(1)} s)`;
    if (outcome.kind === 'aborted') progress('interrupted\n');
    else if (outcome.kind !== 'ran') progress(`${outcome.kind === 'unsupported' ? 'unsupported here' : 'failed'}: ${oneLine(outcome.reason)}${took}\n`);
    return { outcome, took };
  };

  for (const variant of plan.variants) {
    let reference: Reference | null = null;
    for (const precision of plan.precisions) {
      const cell: Cell = { variant, precision };
      const isReference = precision === REFERENCE_PRECISION;
      if (signal.aborted) return { rows, aborted: true };
      const { outcome: pass, took } = await run(
        { variant, precision, mode: 'accuracy', scenario: 'offline', referenceOutputs: isReference ? null : (reference?.outputs ?? null) },
        'accuracy',
      );
      if (pass.kind === 'aborted') return { rows, aborted: true };
      if (pass.kind === 'unsupported') {
        for (const scenario of plan.scenarios) {
          progress(`${label(cell, scenario)}: skipped, the accuracy pass is unsupported here\n`);
          push(unmeasuredRow(cell, scenario, 'unsupported', pass.reason, NO_ACCURACY));
        }
        continue;
      }
      const accuracy = cellAccuracy(pass, isReference, reference, plan.workload.accuracyMetric);
      if (pass.kind === 'ran') progress(`${describeAccuracy(accuracy, isReference)}${took}\n`);
      if (isReference) reference = { accuracy: accuracy.accuracy, outputs: pass.kind === 'ran' ? (pass.result.outputs?.file ?? null) : null };
      for (const scenario of plan.scenarios) {
        if (signal.aborted) return { rows, aborted: true };
        const { outcome: perf, took } = await run({ variant, precision, mode: 'performance', scenario, referenceOutputs: null }, scenario);
        if (perf.kind === 'aborted') return { rows, aborted: true };
        if (perf.kind === 'ran') {
          const row = measuredRow(cell, scenario, perf.result, accuracy);
          progress(`${formatMetric(row.metric)}, ${row.valid ? 'VALID' : 'INVALID'}${took}\n`);
          push(row);
        } else {
          push(unmeasuredRow(cell, scenario, perf.kind, perf.reason, accuracy));
        }
      }
    }
  }
  return { rows, aborted: signal.aborted };
}

/** The accuracy a cell's rows carry, from its accuracy pass (ran or failed). */
function cellAccuracy(
  pass: Exclude<StepOutcome, { kind: 'unsupported' | 'aborted' }>,
  isReference: boolean,
  reference: Reference | null,
  workloadMetric: string | null,
): CellAccuracy {
  if (pass.kind === 'failed') return { accuracy: null, note: `accuracy pass failed: ${pass.reason}`, resultDir: null };
  const result: RunResult = pass.result;
  const scored = accuracyPassOf(result);
  const resultDir = runDir(result);
  if (isReference) {
    if (result.outputs == null && scored.metric === null) return { accuracy: null, note: 'the fp32 accuracy pass produced no outputs to compare with', resultDir };
    return { accuracy: referenceAccuracy(scored, workloadMetric), note: null, resultDir };
  }
  const accuracy = candidateAccuracy(scored, reference?.accuracy ?? null);
  if (accuracy !== null) return { accuracy, note: null, resultDir };
  const why = reference?.outputs == null ? 'no fp32 outputs to compare with (its accuracy pass did not complete)' : 'see its result.json notes';
  return { accuracy: null, note: `the accuracy pass scored nothing: ${why}`, resultDir };
}

function describeAccuracy({ accuracy, note }: CellAccuracy, isReference: boolean): string {
  if (accuracy === null) return note ?? 'no accuracy';
  if (isReference) return `${formatAccuracy(accuracy)} (reference)`;
  const agreement = accuracy.agreement === null ? '' : `, agreement with fp32 ${percent(accuracy.agreement)}`;
  return `${formatAccuracy(accuracy)}, ${percentPoints(accuracy.delta)} vs fp32${agreement}`;
}
