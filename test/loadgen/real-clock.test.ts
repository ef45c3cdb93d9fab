import { describe, expect, it } from 'vitest';
import { RealClock } from '../../src/loadgen/real-clock.js';

/** Deadlines 0-3 ms ahead: within the fine spin, the coarse spin and the event-loop wait. */
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
