import type { EngineStats, SchedulerName } from '../engine/types.js';

/** What the engine did between two stats() snapshots (the server excludes its warm-up this way). */
export interface EngineWork {
  readonly scheduler: SchedulerName;
  readonly prefillSteps: number;
  readonly decodeSteps: number;
  readonly generatedTokens: number;
  readonly finishedSequences: number;
  /** decodeBatchSizes[b] = decode steps that ran with b sequences. */
  readonly decodeBatchSizes: readonly number[];
  /** Sequences per decode step on average (padding rows of static batches included); 0 without steps. */
  readonly meanDecodeBatch: number;
}

export function engineWork(before: EngineStats, after: EngineStats): EngineWork {
  const length = Math.max(before.decodeBatchSizes.length, after.decodeBatchSizes.length);
  const decodeBatchSizes = Array.from({ length }, (_, b) => (after.decodeBatchSizes[b] ?? 0) - (before.decodeBatchSizes[b] ?? 0));
  const steps = decodeBatchSizes.reduce((sum, count) => sum + count, 0);
  const rows = decodeBatchSizes.reduce((sum, count, b) => sum + count * b, 0);
  return {
    scheduler: after.scheduler,
    prefillSteps: after.prefillSteps - before.prefillSteps,
    decodeSteps: after.decodeSteps - before.decodeSteps,
    generatedTokens: after.generatedTokens - before.generatedTokens,
    finishedSequences: after.finishedSequences - before.finishedSequences,
    decodeBatchSizes,
    meanDecodeBatch: steps === 0 ? 0 : rows / steps,
  };
}
