import { describe, expect, it } from 'vitest';
import { minQueriesForEstimate } from '../../src/loadgen/early-stopping.js';
import { runTest } from '../../src/loadgen/run-test.js';
import { VirtualClock } from '../../src/loadgen/virtual-clock.js';
import { FakeLibrary, nullSut, settings } from '../helpers/fakes.js';

describe('SingleStream on a SUT with a constant 2 ms service time', () => {
  it('issues back to back until the minimums hold, with exact latencies and a VALID verdict', async () => {
    const clock = new VirtualClock();
    const s = settings({ scenario: 'singlestream', minDurationMs: 1000, minQueryCount: 100 });
    const outcome = await runTest(nullSut(clock, { serviceTimeNs: 2_000_000 }), new FakeLibrary(1024), s, { clock });
    // Queries start at 0, 2, 4, ... ms; the loop stops once the last issue is at >= 1000 ms
    // and at least max(100, early-stopping minimum) queries ran: issues at 0..1000 ms = 501.
    expect(minQueriesForEstimate(0.9)).toBeLessThan(501);
    expect(outcome.summary.queriesIssued).toBe(501);
    expect(outcome.summary.durationNs).toBe(1_000_000_000);
    expect(outcome.summary.sampleLatency?.percentilesNs).toEqual({
      '50': 2e6,
      '90': 2e6,
      '95': 2e6,
      '97': 2e6,
      '99': 2e6,
      '99.9': 2e6,
    });
    expect(outcome.summary.earlyStopping?.estimateNs).toBe(2e6);
    expect(outcome.summary.metric).toEqual({ name: 'p90 sample latency (early-stopping estimate)', value: 2, unit: 'ms' });
    expect(outcome.checks.every((c) => c.passed)).toBe(true);
    expect(outcome.status).toBe('completed');
  });

  it('runs warmup queries apart from the measured window and reports the first latency', async () => {
    const clock = new VirtualClock();
    const s = settings({ scenario: 'singlestream', minDurationMs: 100, minQueryCount: 10, warmupQueryCount: 7 });
    const outcome = await runTest(nullSut(clock, { serviceTimeNs: 3_000_000 }), new FakeLibrary(64), s, { clock });
    expect(outcome.warmup).toEqual({ queryCount: 7, firstQueryLatencyNs: 3_000_000 });
    expect(outcome.summary.queriesIssued).toBe(Math.max(minQueriesForEstimate(0.9), 35));
  });

  it('is INVALID with a recommendation when the max duration cuts the run short', async () => {
    const clock = new VirtualClock();
    const s = settings({ scenario: 'singlestream', minDurationMs: 1000, maxDurationMs: 1000, minQueryCount: 2000 });
    const outcome = await runTest(nullSut(clock, { serviceTimeNs: 2_000_000 }), new FakeLibrary(64), s, { clock });
    expect(outcome.summary.queriesIssued).toBe(501);
    const minQueries = outcome.checks.find((c) => c.name === 'minQueries')!;
    expect(minQueries.passed).toBe(false);
    expect(minQueries.detail).toBe('501 queries issued, minimum 2000');
    expect(minQueries.recommendation).toContain('--max-duration-ms');
  });
});
