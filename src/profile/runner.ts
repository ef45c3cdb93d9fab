import type { ScenarioName } from '../loadgen/types.js';
import type { RuntimeVariant } from './types.js';

/** One child run of a cell: its accuracy pass, or one of its performance scenarios. */
export interface CellStep {
  readonly variant: RuntimeVariant;
  readonly precision: string;
  readonly mode: 'accuracy' | 'performance';
  /** Offline for the accuracy pass. */
  readonly scenario: ScenarioName;
  /** Accuracy passes of precisions other than fp32: the fp32 pass's outputs.bin. */
  readonly referenceOutputs: string | null;
}

/** How a child `mlbench run` ended, as the process reported it. */
export interface ChildOutcome {
  /** null when a signal ended it (a crash: SIGSEGV, SIGKILL...). */
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** result.json (`--json`), or empty when the run never got that far. */
  readonly stdout: string;
  /** The summary, or `mlbench: <why>` when the run could not start or failed. */
  readonly stderr: string;
}

/**
 * Runs one step. The CLI starts a child process per step, so a runtime that crashes fails one
 * row and each cell gets its own peak memory and cold start; tests inject known outcomes.
 */
export interface CellRunner {
  run(step: CellStep, signal: AbortSignal): Promise<ChildOutcome>;
}
