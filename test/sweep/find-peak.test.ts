import { describe, expect, it } from 'vitest';
import { findPeak, type ProbeOutcome } from '../../src/sweep/find-peak.js';

/** A system that meets the bound up to `maxQps`; probes at or above `untrustedFrom` lag. */
function fakeProbe(maxQps: number, untrustedFrom = Number.POSITIVE_INFINITY) {
  const rates: number[] = [];
  const probe = async (qps: number): Promise<ProbeOutcome> => {
    rates.push(qps);
    return { qps, meetsBound: qps <= maxQps, trusted: qps < untrustedFrom, completedQps: Math.min(qps, maxQps) };
  };
  return { probe, rates };
}

const options = { precisionPercent: 5, maxProbes: 16, minQps: 1 };

describe('findPeak', () => {
  it('doubles to bracket the bound, then bisects to the stated precision', async () => {
    const { probe, rates } = fakeProbe(437);
    const search = await findPeak(probe, { ...options, startQps: 100 });
    expect(rates).toEqual([100, 200, 400, 800, 600, 500, 450, 425, 438]);
    expect(search).toMatchObject({ peakQps: 425, failingQps: 438, stop: 'converged' });
    expect((438 - 425) / 425).toBeLessThanOrEqual(0.05);
  });

  it('halves when the start rate fails', async () => {
    const { probe, rates } = fakeProbe(30);
    const search = await findPeak(probe, { ...options, startQps: 100 });
    expect(rates).toEqual([100, 50, 25, 38, 32, 29, 31, 30]);
    expect(search).toMatchObject({ peakQps: 30, failingQps: 31, stop: 'converged' });
  });

  it('never goes above a probe the load generator limited, and says so', async () => {
    const { probe, rates } = fakeProbe(437, 300);
    const search = await findPeak(probe, { ...options, startQps: 100 });
    expect(rates).toEqual([100, 200, 400, 300, 250, 275, 288]);
    // 400 and 300 could not tell: the bracket closes below the lowest of them.
    expect(search).toMatchObject({ peakQps: 288, failingQps: 300, stop: 'converged' });
    expect(search.notes.filter((n) => n.includes('load generator was the bottleneck'))).toHaveLength(2);
    expect(rates.every((r) => r <= 400)).toBe(true);
  });

  it('reports no peak when nothing meets the bound down to the minimum rate', async () => {
    const { probe, rates } = fakeProbe(0);
    const search = await findPeak(probe, { ...options, startQps: 4 });
    expect(rates).toEqual([4, 2, 1]);
    expect(search).toMatchObject({ peakQps: null, failingQps: 1, stop: 'nothing-met' });
  });

  it('stops at the probe limit with the bracket it has', async () => {
    const { probe, rates } = fakeProbe(437);
    const search = await findPeak(probe, { ...options, startQps: 100, maxProbes: 5 });
    expect(rates).toEqual([100, 200, 400, 800, 600]);
    expect(search).toMatchObject({ peakQps: 400, failingQps: 600, stop: 'max-probes' });
  });

  it('stops before the next probe when told to', async () => {
    const { probe, rates } = fakeProbe(437);
    const search = await findPeak(probe, { ...options, startQps: 100, shouldStop: () => rates.length >= 2 });
    expect(rates).toEqual([100, 200]);
    expect(search).toMatchObject({ peakQps: 200, failingQps: null, stop: 'stopped' });
  });
});
