import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/loadgen/virtual-clock.js';
import { type BatchOutcome, DynamicBatcher } from '../../src/serve/dynamic-batcher.js';
import type { BatchPolicy } from '../../src/serve/types.js';

const MS = 1_000_000;
const T0 = 1_000_000_000;

interface Call {
  readonly atNs: number;
  readonly payloads: readonly string[];
  readonly rows: number;
}

/** A batcher over a fake model: each execution takes `serviceNs`, echoes its payloads, and is logged. */
function setup(policy: Partial<BatchPolicy>, options: { serviceNs?: number; maxQueue?: number; concurrency?: number; fail?: (payloads: readonly string[]) => boolean } = {}) {
  const clock = new VirtualClock(T0);
  const calls: Call[] = [];
  const serviceNs = options.serviceNs ?? MS;
  const batcher = new DynamicBatcher<string, string>(
    clock,
    { policy: { maxBatchRows: 8, preferredBatchRows: [], windowNs: 0, ...policy }, maxQueue: options.maxQueue ?? 0, concurrency: options.concurrency ?? 1 },
    (payloads, rows) => {
      calls.push({ atNs: clock.nowNs(), payloads: [...payloads], rows });
      return new Promise((resolve, reject) => {
        clock.at(clock.nowNs() + serviceNs, () => {
          if (options.fail?.(payloads)) reject(new Error('runtime failed'));
          else resolve({ outputs: payloads.map((p) => `out:${p}`), inputNs: 10, inferNs: serviceNs - 30, outputNs: 20 });
        });
      });
    },
  );
  /** Submits `payload` with `rows` at T0 + atNs. */
  const submitAt = (atNs: number, payload: string, rows = 1, shapeKey = ''): Promise<BatchOutcome<string>> =>
    new Promise((resolve) => clock.at(T0 + atNs, () => resolve(batcher.submit({ rows, shapeKey, payload }))));
  return { clock, calls, batcher, submitAt };
}

function done(outcome: BatchOutcome<string>) {
  if (outcome.state !== 'done') throw new Error(`expected done, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('DynamicBatcher on the virtual clock', () => {
  it('with two instances runs two batches at once; the next waits for one to finish, filling meanwhile', async () => {
    const { calls, submitAt, batcher } = setup({ maxBatchRows: 2, windowNs: 0 }, { serviceNs: 4 * MS, concurrency: 2 });
    const submitted = [submitAt(0, 'a'), submitAt(1 * MS, 'b'), submitAt(2 * MS, 'c'), submitAt(3 * MS, 'd')];
    const outcomes = await Promise.all(submitted);
    // a and b start at once, each alone (no window); c and d queue until a's instance is free at 4 ms.
    expect(calls).toEqual([
      { atNs: T0, payloads: ['a'], rows: 1 },
      { atNs: T0 + 1 * MS, payloads: ['b'], rows: 1 },
      { atNs: T0 + 4 * MS, payloads: ['c', 'd'], rows: 2 },
    ]);
    expect(outcomes.map((o) => done(o).timing.queueNs)).toEqual([0, 0, 2 * MS, 1 * MS]);
    expect(batcher.executing).toBe(false);
  });

  it('with one instance runs one batch at a time', async () => {
    const { calls, submitAt } = setup({ maxBatchRows: 2, windowNs: 0 }, { serviceNs: 4 * MS });
    await Promise.all([submitAt(0, 'a'), submitAt(1 * MS, 'b'), submitAt(2 * MS, 'c')]);
    expect(calls).toEqual([
      { atNs: T0, payloads: ['a'], rows: 1 },
      { atNs: T0 + 4 * MS, payloads: ['b', 'c'], rows: 2 },
    ]);
  });

  it('sends a partial batch exactly when the oldest request has waited the window', async () => {
    const { calls, submitAt } = setup({ windowNs: 2 * MS }, { serviceNs: 500_000 });
    const outcomes = await Promise.all([submitAt(0, 'a'), submitAt(0.5 * MS, 'b'), submitAt(1.5 * MS, 'c')]);
    expect(calls).toEqual([{ atNs: T0 + 2 * MS, payloads: ['a', 'b', 'c'], rows: 3 }]);
    expect(outcomes.map((o) => done(o).timing.queueNs)).toEqual([2 * MS, 1.5 * MS, 0.5 * MS]);
    expect(outcomes.map((o) => done(o).timing.computeNs)).toEqual([500_000, 500_000, 500_000]);
    expect(outcomes.map((o) => done(o).timing.batchRows)).toEqual([3, 3, 3]);
    expect(outcomes.map((o) => done(o).output)).toEqual(['out:a', 'out:b', 'out:c']);
    expect(done(outcomes[0]!).timing.execution).toEqual({ inputNs: 10, inferNs: 499_970, outputNs: 20 });
  });

  it('sends a batch that reaches the max at once, and the next request waits its own window', async () => {
    const { calls, submitAt } = setup({ maxBatchRows: 4, windowNs: 10 * MS }, { serviceNs: MS });
    const outcomes = await Promise.all([submitAt(0, 'a', 2), submitAt(0.25 * MS, 'b', 2), submitAt(0.5 * MS, 'c', 1)]);
    expect(calls).toEqual([
      { atNs: T0 + 0.25 * MS, payloads: ['a', 'b'], rows: 4 },
      { atNs: T0 + 10.5 * MS, payloads: ['c'], rows: 1 },
    ]);
    expect(outcomes.map((o) => done(o).timing.queueNs)).toEqual([0.25 * MS, 0, 10 * MS]);
  });

  it('sends at once when the next request would overflow the max batch', async () => {
    const { calls, submitAt } = setup({ maxBatchRows: 4, windowNs: 10 * MS });
    await Promise.all([submitAt(0, 'a', 3), submitAt(MS, 'b', 2)]);
    // 'a' can grow no further once 'b' is behind it; 'b' then waits out its own window.
    expect(calls.map((c) => [c.atNs - T0, c.rows])).toEqual([
      [MS, 3],
      [11 * MS, 2],
    ]);
  });

  it('sends the largest preferred batch it can form, without waiting for the window', async () => {
    const { calls, submitAt } = setup({ maxBatchRows: 8, preferredBatchRows: [2, 4], windowNs: 50 * MS }, { serviceNs: 5 * MS });
    // a+b make 2 (preferred) at 1 ms; c..g arrive while that batch runs; at 6 ms the queue holds
    // five single rows: the largest preferred prefix is 4, and the fifth waits for its window.
    await Promise.all([
      submitAt(0, 'a'),
      submitAt(MS, 'b'),
      submitAt(2 * MS, 'c'),
      submitAt(2 * MS, 'd'),
      submitAt(3 * MS, 'e'),
      submitAt(3 * MS, 'f'),
      submitAt(4 * MS, 'g'),
    ]);
    expect(calls.map((c) => [c.atNs - T0, c.payloads.join('')])).toEqual([
      [MS, 'ab'],
      [6 * MS, 'cdef'],
      [54 * MS, 'g'],
    ]);
  });

  it('runs one batch at a time; requests that arrive meanwhile form the next batch in FIFO order', async () => {
    const { calls, submitAt } = setup({ windowNs: 0 }, { serviceNs: 2 * MS });
    const outcomes = await Promise.all([submitAt(0, 'a'), submitAt(0.5 * MS, 'b'), submitAt(MS, 'c'), submitAt(3 * MS, 'd')]);
    expect(calls.map((c) => [c.atNs - T0, c.payloads.join('')])).toEqual([
      [0, 'a'],
      [2 * MS, 'bc'],
      [4 * MS, 'd'],
    ]);
    expect(outcomes.map((o) => done(o).timing.queueNs)).toEqual([0, 1.5 * MS, MS, MS]);
    expect(outcomes.map((o) => done(o).timing.batchRows)).toEqual([1, 2, 2, 1]);
  });

  it('refuses the request that finds --max-queue requests waiting, and accepts again once they run', async () => {
    const { batcher, submitAt } = setup({ windowNs: 0 }, { serviceNs: 5 * MS, maxQueue: 2 });
    const outcomes = await Promise.all([submitAt(0, 'a'), submitAt(MS, 'b'), submitAt(MS, 'c'), submitAt(2 * MS, 'd'), submitAt(6 * MS, 'e')]);
    // a executes (not queued); b and c wait; d finds two waiting; by 6 ms b and c are executing.
    expect(outcomes.map((o) => o.state)).toEqual(['done', 'done', 'done', 'refused', 'done']);
    expect(outcomes[3]).toEqual({ state: 'refused', reason: 'queue-full' });
    expect(batcher.queuedRequests).toBe(0);
  });

  it('counts the batch sizes it formed exactly', async () => {
    const { batcher, submitAt } = setup({ maxBatchRows: 4, windowNs: MS }, { serviceNs: MS });
    await Promise.all([
      submitAt(0, 'a'),
      submitAt(10 * MS, 'b', 2),
      submitAt(10 * MS, 'c', 2),
      submitAt(20 * MS, 'd', 3),
      submitAt(20 * MS, 'e'),
      submitAt(30 * MS, 'f', 2),
    ]);
    expect([...batcher.batchSizes().entries()].sort(([a], [b]) => a - b)).toEqual([
      [1, 1],
      [2, 1],
      [4, 2],
    ]);
  });

  it('does not batch requests whose shapes differ, keeping arrival order', async () => {
    const { calls, submitAt } = setup({ windowNs: 5 * MS });
    await Promise.all([submitAt(0, 'a', 1, '16'), submitAt(0, 'b', 1, '16'), submitAt(MS, 'c', 1, '32'), submitAt(MS, 'd', 1, '16')]);
    // 'c' cannot join a+b, so they go at once when it arrives; 'c' then 'd' each go at once too (the one behind blocks).
    expect(calls.map((c) => [c.atNs - T0, c.payloads.join('')])).toEqual([
      [MS, 'ab'],
      [2 * MS, 'c'],
      [6 * MS, 'd'],
    ]);
  });

  it('a failed execution fails every request in its batch, and the next batch runs', async () => {
    const { calls, submitAt } = setup({ windowNs: MS }, { fail: (p) => p.includes('bad') });
    const outcomes = await Promise.all([submitAt(0, 'bad'), submitAt(0, 'x'), submitAt(5 * MS, 'y')]);
    expect(outcomes.map((o) => o.state)).toEqual(['failed', 'failed', 'done']);
    expect(outcomes[0]!.state === 'failed' && outcomes[0]!.error.message).toBe('runtime failed');
    expect(calls).toHaveLength(2);
  });

  it('close() sends what is queued without waiting for the window, refuses new requests, and resolves when idle', async () => {
    const { clock, batcher, calls, submitAt } = setup({ windowNs: 100 * MS }, { serviceNs: MS });
    const queued = submitAt(0, 'a');
    const closed = new Promise<number>((resolve) => clock.at(T0 + 2 * MS, () => void batcher.close().then(() => resolve(clock.nowNs()))));
    const late = submitAt(2.5 * MS, 'late');
    expect(done(await queued).timing.queueNs).toBe(2 * MS);
    expect(await closed).toBe(T0 + 3 * MS);
    expect(await late).toEqual({ state: 'refused', reason: 'closed' });
    expect(calls.map((c) => c.atNs - T0)).toEqual([2 * MS]);
  });
});
