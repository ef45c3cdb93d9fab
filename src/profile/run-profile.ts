import type { ScenarioName } from '../loadgen/types.js';
import type { RunResult } from '../results/types.js';
import { REFERENCE_PRECISION } from '../workloads/types.js';
import { candidateAccuracy, referenceAccuracy } from './accuracy-delta.js';
import { accuracyPassOf, type Cell, type CellAccuracy, runDir, unmeasuredRow } from './build-row.js';
import { classifyOutcome, type StepOutcome } from './cell-outcome.js';
import { formatAccuracy, formatMetric, oneLine, percent, percentPoints } from './format-values.js';
import { type RepetitionOutcome, repeatedRow } from './repeated-row.js';
import type { CellRunner, CellStep } from './runner.js';
import type { ProfilePlan, ProfileRow, RowAccuracy } from './types.js';
import { describeVariant } from './variants.js';

export interface ProfileRunOptions {
  readonly plan: ProfilePlan;
  readonly runner: CellRunner;
  readonly signal: AbortSignal;
  /** Progress text as it happens (`[3/24] ort fp16 offline ... 5234.1 samples/s, VALID (11.2 s)`). */
  readonly onProgress?: (text: string) => void;
  /** Every row known so far, each time one is added or a repetition changes one. */
  readonly onRows?: (rows: readonly ProfileRow[]) => void;
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

/** A row in the making: fixed (its cell's accuracy pass was unsupported), or its performance runs so far. */
interface MeasuredSlot {
  readonly kind: 'measured';
  readonly cell: Cell;
  readonly scenario: ScenarioName;
  readonly accuracy: CellAccuracy;
  readonly outcomes: RepetitionOutcome[];
}
type Slot = { readonly kind: 'fixed'; readonly row: ProfileRow } | MeasuredSlot;

const NO_ACCURACY: CellAccuracy = { accuracy: null, note: null, resultDir: null };

/**
 * Runs the matrix: for each runtime variant, for each precision (fp32 first), the accuracy pass
 * (Offline; fp32's outputs are the others' reference), then each performance scenario. A cell
 * whose accuracy pass is unsupported is not run further. With repetitions, that is round 1;
 * each later round repeats every performance run in the same order, so a slow spell of the
 * machine falls on many cells rather than on one cell's every run. Stops between steps when
 * `signal` aborts, keeping the rows (and repetitions) so far.
 */
export async function runProfile(o: ProfileRunOptions): Promise<ProfileRunOutcome> {
  const { plan, runner, signal } = o;
  const repetitions = plan.repetitions;
  const now = o.nowMs ?? (() => performance.now());
  const progress = o.onProgress ?? (() => {});
  const total = plan.variants.length * plan.precisions.length * (1 + plan.scenarios.length * repetitions);
  const slots: Slot[] = [];
  let done = 0;
  const rowOf = (slot: Slot): ProfileRow =>
    slot.kind === 'fixed' ? slot.row : repeatedRow(slot.cell, slot.scenario, slot.outcomes, repetitions, slot.accuracy);
  const rows = (): ProfileRow[] => slots.map(rowOf);
  const changed = (): void => o.onRows?.(rows());
  const stop = (): ProfileRunOutcome => ({ rows: rows(), aborted: true });
  /** `[4/20] ort fp16 offline`; a step that stands for several (skipped repetitions) counts them all: `[4-5/20]`. */
  const label = (cell: Cell, what: string, steps = 1): string => {
    const many = plan.variants.filter((v) => v.backend === cell.variant.backend).length > 1;
    const first = done + 1;
    done += steps;
    return `[${first}${steps > 1 ? `-${done}` : ''}/${total}] ${cell.variant.backend}${many ? ` [${describeVariant(cell.variant)}]` : ''} ${cell.precision} ${what}`;
  };
  /** `offline`, or `offline (2/3)` with repetitions. */
  const named = (scenario: ScenarioName, round: number): string => (repetitions === 1 ? scenario : `${scenario} (${round}/${repetitions})`);
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
  /** One repetition of a slot's performance run; false when the profile was interrupted. */
  const measure = async (slot: MeasuredSlot, round: number): Promise<boolean> => {
    const { cell, scenario } = slot;
    if (signal.aborted) return false;
    const { outcome: perf, took } = await run({ ...cell, mode: 'performance', scenario, referenceOutputs: null }, named(scenario, round));
    if (perf.kind === 'aborted') return false;
    if (perf.kind === 'ran') progress(`${formatMetric(perf.result.summary.metric)}, ${perf.result.validity.valid ? 'VALID' : 'INVALID'}${took}\n`);
    slot.outcomes.push(perf);
    if (perf.kind === 'unsupported' && repetitions > 1) {
      // Not available here will not change on a second try: its other repetitions are not run.
      progress(`${label(cell, `${scenario} (2${repetitions > 2 ? `-${repetitions}` : ''}/${repetitions})`, repetitions - 1)}: skipped, unsupported here\n`);
    }
    return true;
  };

  for (const variant of plan.variants) {
    let reference: Reference | null = null;
    for (const precision of plan.precisions) {
      const cell: Cell = { variant, precision };
      const isReference = precision === REFERENCE_PRECISION;
      if (signal.aborted) return stop();
      const { outcome: pass, took } = await run(
        { variant, precision, mode: 'accuracy', scenario: 'offline', referenceOutputs: isReference ? null : (reference?.outputs ?? null) },
        'accuracy',
      );
      if (pass.kind === 'aborted') return stop();
      if (pass.kind === 'unsupported') {
        for (const scenario of plan.scenarios) {
          progress(`${label(cell, scenario, repetitions)}: skipped, the accuracy pass is unsupported here\n`);
          slots.push({ kind: 'fixed', row: unmeasuredRow(cell, scenario, 'unsupported', pass.reason, NO_ACCURACY) });
          changed();
        }
        continue;
      }
      const accuracy = cellAccuracy(pass, isReference, reference, plan.workload.accuracyMetric);
      if (pass.kind === 'ran') progress(`${describeAccuracy(accuracy, isReference)}${took}\n`);
      if (isReference) reference = { accuracy: accuracy.accuracy, outputs: pass.kind === 'ran' ? (pass.result.outputs?.file ?? null) : null };
      for (const scenario of plan.scenarios) {
        const slot: MeasuredSlot = { kind: 'measured', cell, scenario, accuracy, outcomes: [] };
        // A run interrupted in round 1 leaves no row, as without repetitions.
        if (!(await measure(slot, 1))) return stop();
        slots.push(slot);
        changed();
      }
    }
  }
  for (let round = 2; round <= repetitions; round++) {
    for (const slot of slots) {
      if (slot.kind === 'fixed' || slot.outcomes[0]?.kind === 'unsupported') continue;
      if (!(await measure(slot, round))) return stop();
      changed();
    }
  }
  return { rows: rows(), aborted: signal.aborted };
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
