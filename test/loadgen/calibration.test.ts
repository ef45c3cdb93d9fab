import { describe, expect, it } from 'vitest';
import { runTest } from '../../src/loadgen/run-test.js';
import { VirtualClock } from '../../src/loadgen/virtual-clock.js';
import { FakeLibrary, nullSut, settings } from '../helpers/fakes.js';

const server = settings({ scenario: 'server', latencyPercentile: 99, latencyBoundMs: 50, targetQps: null, minDurationMs: 1000 });

describe('Server without --target-qps', () => {
  it('takes half the saturated rate of a 2 ms single-server queue (500/s) and keeps it when a probe holds p99', async () => {
    const clock = new VirtualClock();
    const outcome = await runTest(nullSut(clock, { serviceTimeNs: 2_000_000 }), new FakeLibrary(256), server, { clock });
    // 604 completions between the end of the 0.3 s ramp and the drain at 1.506 s: 500.8/s.
    expect(outcome.settings.targetQps).toBe(250);
    expect(outcome.notes[0]).toBe(
      'no --target-qps given: calibrated 500.8 samples/s at saturation (4 single-sample queries kept in flight for 1.5 s); starting from 50% of that, 250 QPS',
    );
    expect(outcome.notes[1]).toMatch(/^calibration probe 1: 1 s of Server at 250 QPS gave p99 [0-9.]+ ms: kept$/);
    expect(outcome.checks.every((c) => c.passed)).toBe(true);
  });

  it('backs off when a probe breaks half the bound (a 5 ms bound leaves no room at 250 QPS)', async () => {
    const clock = new VirtualClock();
    const tight = { ...server, latencyBoundMs: 5 };
    const outcome = await runTest(nullSut(clock, { serviceTimeNs: 2_000_000 }), new FakeLibrary(256), tight, { clock });
    expect(outcome.notes[1]).toMatch(/^calibration probe 1: .* backing off$/);
    expect(outcome.settings.targetQps).toBeLessThan(250);
    expect(outcome.settings.targetQps).toBe(Math.floor(250 * 0.6 ** (outcome.notes.filter((n) => n.endsWith('backing off')).length)));
  });
});
