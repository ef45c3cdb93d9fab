import { describe, expect, it } from 'vitest';
import { type QueueView, SCHEDULING_POLICIES } from '../../../src/llm/engine/scheduling-policy.js';

const view = (overrides: Partial<QueueView>): QueueView => ({
  waiting: 0,
  rows: 0,
  maxBatch: 4,
  batchWindowMs: 20,
  oldestWaitingSinceMs: undefined,
  nowMs: 1000,
  ...overrides,
});

describe('continuous admission', () => {
  const { admission } = SCHEDULING_POLICIES.continuous;
  it('fills the free slots at every turn', () => {
    expect(admission(view({ waiting: 10, rows: 1, oldestWaitingSinceMs: 999 }))).toEqual({ kind: 'take', count: 3 });
    expect(admission(view({ waiting: 2, rows: 1, oldestWaitingSinceMs: 999 }))).toEqual({ kind: 'take', count: 2 });
    expect(admission(view({ waiting: 5, rows: 4, oldestWaitingSinceMs: 999 }))).toEqual({ kind: 'take', count: 0 });
  });
  it('never waits for a batch to fill', () => {
    expect(admission(view({ waiting: 1, oldestWaitingSinceMs: 1000, batchWindowMs: 1e6 }))).toEqual({ kind: 'take', count: 1 });
  });
});

describe('static admission', () => {
  const policy = SCHEDULING_POLICIES.static;
  it('keeps finished rows as padding', () => {
    expect(policy.holdsFinishedRows).toBe(true);
    expect(SCHEDULING_POLICIES.continuous.holdsFinishedRows).toBe(false);
  });
  it('admits nobody while a batch runs, however many wait', () => {
    expect(policy.admission(view({ waiting: 9, rows: 1, oldestWaitingSinceMs: 0 }))).toEqual({ kind: 'take', count: 0 });
  });
  it('waits up to the window after the first arrival for the batch to fill', () => {
    expect(policy.admission(view({ waiting: 2, oldestWaitingSinceMs: 990 }))).toEqual({ kind: 'wait', untilMs: 1010 });
    expect(policy.admission(view({ waiting: 2, oldestWaitingSinceMs: 980 }))).toEqual({ kind: 'take', count: 2 });
  });
  it('starts at once when the batch is full, taking at most maxBatch', () => {
    expect(policy.admission(view({ waiting: 6, oldestWaitingSinceMs: 999 }))).toEqual({ kind: 'take', count: 4 });
  });
  it('with a zero window starts with whoever is there', () => {
    expect(policy.admission(view({ waiting: 1, oldestWaitingSinceMs: 1000, batchWindowMs: 0 }))).toEqual({ kind: 'take', count: 1 });
  });
});
