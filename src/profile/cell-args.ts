import type { CellStep } from './runner.js';
import { variantFlags } from './variants.js';

/** What every step of one profile shares. */
export interface CellArgsContext {
  readonly workload: string;
  readonly profile: string;
  /** Where each child writes its run folder. */
  readonly runsDir: string;
  readonly passThrough: Readonly<Record<string, number | string>>;
}

/** The `mlbench run` arguments of one step (after `main.js`). Pure. */
export function cellArgs(step: CellStep, context: CellArgsContext): string[] {
  const flags: Record<string, string | number> = {
    workload: context.workload,
    precision: step.precision,
    ...variantFlags(step.variant),
    scenario: step.scenario,
    mode: step.mode,
    profile: context.profile,
    ...context.passThrough,
    ...(step.referenceOutputs !== null ? { 'reference-outputs': step.referenceOutputs } : {}),
    output: context.runsDir,
    progress: 'false',
  };
  return ['run', ...Object.entries(flags).flatMap(([name, value]) => [`--${name}`, String(value)]), '--json'];
}
