import type { BatchPolicy } from './types.js';

/** Send the first `requests` queued requests now, or look again at `atNs`. */
export type BatchDecision = { readonly kind: 'send'; readonly requests: number } | { readonly kind: 'wait'; readonly untilNs: number };

export interface QueueView {
  /** Rows of the queued requests that may share a batch with the oldest, oldest first. */
  readonly rows: readonly number[];
  /** Whether a request that cannot join them waits behind them (so the batch cannot grow). */
  readonly blocked: boolean;
  readonly oldestArrivalNs: number;
  readonly nowNs: number;
  /** Shutting down: nothing more will arrive, so waiting gains nothing. */
  readonly flush: boolean;
}

/**
 * Triton's dynamic batching rule: take requests in arrival order while they fit in the max
 * batch. Send at once when the batch is full or can grow no further; otherwise send the
 * longest prefix whose rows make a preferred size, if any; otherwise wait until the oldest
 * request has waited the window, then send what there is.
 */
export function decideBatch(queue: QueueView, policy: BatchPolicy): BatchDecision {
  let rows = 0;
  let taken = 0;
  let preferred = 0;
  let full = queue.blocked;
  for (const r of queue.rows) {
    if (rows + r > policy.maxBatchRows) {
      full = true;
      break;
    }
    rows += r;
    taken++;
    if (policy.preferredBatchRows.includes(rows)) preferred = taken;
  }
  // Validation keeps every request within the max batch; one that is not still runs alone (and the model judges it).
  if (taken === 0) return { kind: 'send', requests: 1 };
  if (full || rows === policy.maxBatchRows) return { kind: 'send', requests: taken };
  if (preferred > 0) return { kind: 'send', requests: preferred };
  const deadlineNs = queue.oldestArrivalNs + policy.windowNs;
  if (queue.flush || queue.nowNs >= deadlineNs) return { kind: 'send', requests: taken };
  return { kind: 'wait', untilNs: deadlineNs };
}
