import { describe, expect, it } from 'vitest';
import { learnNsPerIteration, RealClock } from '../../src/loadgen/real-clock.js';

/** Deadlines 0-3 ms ahead: within the synchronous spin and the event-loop wait. */
function offsetsNs(count: number): number[] {
  let x = 12345;
  return Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % 3_000_000;
  });
}

async function fireAll(clock: RealClock): Promise<{ deadline: number; firedAt: number }[]> {
  const start = clock.nowNs();
  const fired: { deadline: number; firedAt: number }[] = [];
  const deadlines = offsetsNs(300).map((offset) => start + offset);
  await new Promise<void>((done) => {
    for (const deadline of deadlines) {
      clock.at(deadline, () => {
        fired.push({ deadline, firedAt: clock.nowNs() });
        if (fired.length === deadlines.length) done();
      });
    }
  });
  return fired;
}

describe('RealClock', () => {
  for (const syncWait of [false, true]) {
    it(`fires every timer, in deadline order, never before its deadline (synchronous waits ${syncWait ? 'allowed' : 'not allowed'})`, async () => {
      const clock = new RealClock();
      clock.setSyncWaitAllowed(syncWait ? () => true : null);
      const fired = await fireAll(clock);
      expect(fired).toHaveLength(300);
      const deadlines = fired.map((f) => f.deadline);
      expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));
      for (const f of fired) expect(f.firedAt).toBeGreaterThanOrEqual(f.deadline);
    });
  }
});

describe('learnNsPerIteration', () => {
  it('ignores steps too short to time, and learns from the rest', () => {
    expect(learnNsPerIteration(5, 255, 100_000)).toBe(5);
    expect(learnNsPerIteration(5, 1000, 1000)).toBe(3);
  });

  it('lets a preempted step raise the estimate by at most half, and recovers from it', () => {
    // 1,024 iterations that took 5 ms: the OS took the CPU in the middle of the step.
    let estimate = learnNsPerIteration(1, 1024, 5_000_000);
    expect(estimate).toBe(1.25);
    // A 100 µs wait sizes its first step at about half the time left: still long enough to learn from.
    for (let i = 0; i < 8; i++) estimate = learnNsPerIteration(estimate, Math.floor(50_000 / estimate), Math.floor(50_000 / estimate));
    expect(estimate).toBeCloseTo(1, 2);
  });

  it('never believes more than an interpreted loop takes, so 100 µs waits keep teaching it', () => {
    let estimate = 1;
    for (let i = 0; i < 100; i++) estimate = learnNsPerIteration(estimate, 1024, 5_000_000);
    expect(estimate).toBe(64);
    const iterations = Math.floor(50_000 / estimate);
    expect(learnNsPerIteration(estimate, iterations, iterations)).toBeLessThan(64);
  });
});
