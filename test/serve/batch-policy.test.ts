import { describe, expect, it } from 'vitest';
import { decideBatch, type QueueView } from '../../src/serve/batch-policy.js';

const policy = { maxBatchRows: 8, preferredBatchRows: [4], windowNs: 1_000_000 };
const view = (rows: number[], over: Partial<QueueView> = {}): QueueView => ({ rows, blocked: false, oldestArrivalNs: 0, nowNs: 0, flush: false, ...over });

describe('decideBatch (Triton dynamic batching rule)', () => {
  it('waits for the window when the batch is neither full nor preferred', () => {
    expect(decideBatch(view([1, 2]), policy)).toEqual({ kind: 'wait', untilNs: 1_000_000 });
  });

  it('sends what there is once the oldest request has waited the window', () => {
    expect(decideBatch(view([1, 2], { nowNs: 1_000_000 }), policy)).toEqual({ kind: 'send', requests: 2 });
  });

  it('sends a full batch at once', () => {
    expect(decideBatch(view([4, 4, 1]), policy)).toEqual({ kind: 'send', requests: 2 });
  });

  it('sends at once when the next request would overflow the max batch', () => {
    expect(decideBatch(view([3, 3, 3]), policy)).toEqual({ kind: 'send', requests: 2 });
  });

  it('sends the largest preferred prefix at once', () => {
    expect(decideBatch(view([1, 1, 1, 1, 1]), policy)).toEqual({ kind: 'send', requests: 4 });
    expect(decideBatch(view([1, 1, 1, 1, 2, 1]), { ...policy, preferredBatchRows: [2, 4, 6] })).toEqual({ kind: 'send', requests: 5 });
  });

  it('sends at once when a request that cannot join waits behind', () => {
    expect(decideBatch(view([1], { blocked: true }), policy)).toEqual({ kind: 'send', requests: 1 });
  });

  it('does not wait while flushing for shutdown', () => {
    expect(decideBatch(view([1], { flush: true }), policy)).toEqual({ kind: 'send', requests: 1 });
  });

  it('a zero window sends at once', () => {
    expect(decideBatch(view([1]), { ...policy, windowNs: 0 })).toEqual({ kind: 'send', requests: 1 });
  });
});
