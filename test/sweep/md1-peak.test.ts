import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/loadgen/virtual-clock.js';
import { InProcessRunner } from '../../src/sweep/in-process-runner.js';
import { runServerSweep } from '../../src/sweep/run-server-sweep.js';
import { FakeLibrary, nullSut, settings } from '../helpers/fakes.js';
import { md1PeakQps, md1SimulatedPercentile, md1WaitCdf } from './md1.js';

const SERVICE_S = 0.002;
const BOUND_S = 0.05;
const PERCENTILE = 99;
/** Probes are finite samples of a queue near saturation, and the search stops at 5%. */
const TOLERANCE = 0.1;

describe('M/D/1 theory (the reference the search is held to)', () => {
  it('Erlang\'s waiting-time formula: P(W = 0) = 1 - ρ and P(W <= D) = (1 - ρ) e^ρ', () => {
    expect(md1WaitCdf(250, SERVICE_S, 0)).toBeCloseTo(0.5, 12);
    expect(md1WaitCdf(250, SERVICE_S, SERVICE_S)).toBeCloseTo(0.5 * Math.exp(0.5), 12);
  });

  it('the p99 sojourn at the predicted peak matches a 2M-arrival Lindley simulation', () => {
    const peak = md1PeakQps(SERVICE_S, BOUND_S, PERCENTILE);
    // ρ about 0.9: the bound is 25 service times, so the queue runs close to saturation.
    expect(peak).toBeGreaterThan(430);
    expect(peak).toBeLessThan(470);
    const p99 = md1SimulatedPercentile(peak, SERVICE_S, PERCENTILE, 2_000_000);
    expect(Math.abs(p99 - BOUND_S) / BOUND_S).toBeLessThan(0.05);
  });
});

describe('sweep --find-peak on the null backend (constant 2 ms, one worker) under the virtual clock', () => {
  it(`finds the M/D/1 peak for p${PERCENTILE} <= 50 ms within ${TOLERANCE * 100}%, confirmed VALID`, async () => {
    const clock = new VirtualClock();
    const base = settings({
      scenario: 'server',
      latencyPercentile: PERCENTILE,
      latencyBoundMs: BOUND_S * 1000,
      minDurationMs: 10_000, // the quick profile's confirmation length
      maxDurationMs: 60_000,
      minQueryCount: 100,
      warmupQueryCount: 50,
    });
    const runner = new InProcessRunner({
      sut: nullSut(clock, { serviceTimeNs: SERVICE_S * 1e9 }),
      qsl: new FakeLibrary(1024),
      clock,
      settings: base,
      probeDurationMs: 20_000,
    });
    const plan = { method: 'find-peak', startQps: null, precisionPercent: 5, maxProbes: 16, confirmRetries: 2 } as const;
    const outcome = await runServerSweep(runner, plan, new AbortController().signal);
    const theory = md1PeakQps(SERVICE_S, BOUND_S, PERCENTILE);
    const peak = outcome.peak;
    if (peak === null) throw new Error(`no peak:\n${outcome.notes.join('\n')}`);
    console.info(`M/D/1 peak: search ${peak.qps} QPS, theory ${theory.toFixed(1)} QPS (${(((peak.qps - theory) / theory) * 100).toFixed(1)}%)`);
    expect(Math.abs(peak.qps - theory) / theory).toBeLessThan(TOLERANCE);
    const confirmation = outcome.points.find((p) => p.runId === peak.confirmation.runId)!;
    expect(confirmation).toMatchObject({ kind: 'confirmation', offeredQps: peak.qps, valid: true, meetsBound: true });
    expect(peak.confirmation.valid).toBe(true);
    // The virtual clock issues exactly on time: no probe may be distrusted.
    expect(outcome.points.every((p) => !p.loadgenBottleneck && p.issueDelayP99Ns === 0)).toBe(true);
    // Goodput never exceeds completed throughput by more than rounding of the window.
    for (const p of outcome.points) expect(p.goodputQps!).toBeLessThanOrEqual(p.completedQps * 1.01 + 1);
  });
});
