/**
 * When waiting sequences join the running batch: the one difference between the two
 * schedulers, kept in a registry so a new scheduler fails type checking until it is handled.
 */

import type { SchedulerName } from './types.js';

/** What the engine's queue looks like at the start of a loop turn. */
export interface QueueView {
  readonly waiting: number;
  /** Rows in the running batch; for static batching this includes finished padding rows. */
  readonly rows: number;
  readonly maxBatch: number;
  readonly batchWindowMs: number;
  /** When the oldest waiting sequence was submitted (performance.now() ms); undefined if none waits. */
  readonly oldestWaitingSinceMs: number | undefined;
  readonly nowMs: number;
}

export type Admission =
  | { readonly kind: 'take'; readonly count: number }
  /** Nothing to do before `untilMs` unless another sequence arrives. */
  | { readonly kind: 'wait'; readonly untilMs: number };

export interface SchedulingPolicy {
  /** Finished sequences stay in the batch as padding rows until its last sequence ends. */
  readonly holdsFinishedRows: boolean;
  admission(view: QueueView): Admission;
}

/** Orca-style iteration-level scheduling: free slots are refilled at every decode step. */
const continuous: SchedulingPolicy = {
  holdsFinishedRows: false,
  admission: (view) => ({ kind: 'take', count: Math.min(view.waiting, view.maxBatch - view.rows) }),
};

/**
 * Request-level batching: a new batch starts only when the previous one has ended entirely,
 * and waits up to batchWindowMs after its first sequence arrived for the batch to fill.
 */
const staticBatching: SchedulingPolicy = {
  holdsFinishedRows: true,
  admission(view) {
    if (view.rows > 0 || view.waiting === 0 || view.oldestWaitingSinceMs === undefined) return { kind: 'take', count: 0 };
    const windowEndsMs = view.oldestWaitingSinceMs + view.batchWindowMs;
    if (view.waiting >= view.maxBatch || view.nowMs >= windowEndsMs) {
      return { kind: 'take', count: Math.min(view.waiting, view.maxBatch) };
    }
    return { kind: 'wait', untilMs: windowEndsMs };
  },
};

export const SCHEDULING_POLICIES = {
  continuous,
  static: staticBatching,
} as const satisfies Record<SchedulerName, SchedulingPolicy>;
