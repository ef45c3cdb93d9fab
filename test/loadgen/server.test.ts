import { describe, expect, it } from 'vitest';
import { percentileOfSorted } from '../../src/loadgen/percentiles.js';
import { ArrivalSchedule } from '../../src/loadgen/plan.js';
import { runTest } from '../../src/loadgen/run-test.js';
import { OFFICIAL_SEEDS } from '../../src/loadgen/settings.js';
import { VirtualClock } from '../../src/loadgen/virtual-clock.js';
import { FakeLibrary, nullSut, ScriptedSut, settings } from '../helpers/fakes.js';

/** M/D/1 by Lindley's recursion over the same arrival times: the latencies queueing theory gives. */
function md1Latencies(arrivalsNs: number[], serviceNs: number): Float64Array {
  const out = new Float64Array(arrivalsNs.length);
  let free = Number.NEGATIVE_INFINITY;
  arrivalsNs.forEach((a, i) => {
    const done = Math.max(a, free) + serviceNs;
    free = done;
    out[i] = done - a;
  });
  return out;
}

function arrivals(qps: number, seed: string, count: number): number[] {
  const schedule = new ArrivalSchedule(qps, seed);
  schedule.extendTo(count);
  return Array.from({ length: count }, (_, i) => schedule.offsetNs(i));
}

describe('Server against an M/D/1 queue (constant 2 ms service, one server)', () => {
  const base = settings({
    scenario: 'server',
    latencyPercentile: 99,
    latencyBoundMs: 50,
    targetQps: 300,
    minDurationMs: 2000,
    minQueryCount: 100,
  });

  it('gives exactly the latencies Lindley\'s recursion predicts and a VALID verdict', async () => {
    const clock = new VirtualClock();
    const outcome = await runTest(nullSut(clock, { serviceTimeNs: 2_000_000 }), new FakeLibrary(1024), base, { clock });
    const n = outcome.summary.queriesIssued;
    // LoadGen's rule: arrivals until one is at or past min duration, and at least the minimums
    // (early stopping at p99 with none over needs 459, which is more than 2 s x 300 QPS here).
    expect(n).toBeGreaterThanOrEqual(459);
    const expected = md1Latencies(arrivals(300, OFFICIAL_SEEDS.schedule, n), 2_000_000).sort();
    for (const p of [50, 90, 99]) {
      expect(outcome.summary.sampleLatency!.percentilesNs[String(p)]).toBe(percentileOfSorted(expected, p / 100));
    }
    expect(outcome.summary.sampleLatency!.maxNs).toBe(expected[expected.length - 1]);
    expect(outcome.summary.issueDelay!.maxNs).toBe(0);
    expect(outcome.checks.map((c) => [c.name, c.passed])).toEqual([
      ['minDuration', true],
      ['minQueries', true],
      ['latencyConstraint', true],
      ['earlyStopping', true],
      ['completedAll', true],
    ]);
  });

  it('is INVALID with "lower --target-qps" when the queue overloads (600 QPS > 500 QPS capacity)', async () => {
    const clock = new VirtualClock();
    const s = { ...base, targetQps: 600 };
    const outcome = await runTest(nullSut(clock, { serviceTimeNs: 2_000_000 }), new FakeLibrary(1024), s, { clock });
    const check = outcome.checks.find((c) => c.name === 'latencyConstraint')!;
    expect(check.passed).toBe(false);
    expect(check.recommendation).toContain('lower --target-qps (this run: 600; try about 480)');
    expect(outcome.summary.earlyStopping!.passed).toBe(false);
  });

  it('charges a one-off 1 s block of the issue path to the latency of every query scheduled during it', async () => {
    const clock = new VirtualClock();
    const sut = nullSut(clock, { serviceTimeNs: 1_000_000, block: { durationNs: 1e9, atNs: 1e9 } });
    const outcome = await runTest(sut, new FakeLibrary(1024), { ...base, targetQps: 100, minDurationMs: 3000 }, {
      clock,
      onPhase: (phase) => {
        if (phase === 'measure') sut.markMeasuredStart();
      },
    });
    const r = outcome.recorder;
    // The first query issued at or after 1 s blocks for 1 s; everything scheduled before the
    // block ends is issued late and its latency, from the scheduled time, includes the wait.
    let blockedFrom = -1;
    for (let q = 0; q < r.queryCount; q++) {
      if (r.queryScheduledNs.get(q) - outcome.startNs >= 1e9) {
        blockedFrom = q;
        break;
      }
    }
    const blockStart = r.queryScheduledNs.get(blockedFrom);
    const blockEnd = blockStart + 1e9;
    let during = 0;
    for (let q = blockedFrom; q < r.queryCount && r.queryScheduledNs.get(q) < blockEnd; q++) {
      const latency = r.sampleCompletedNs.get(q) - r.queryScheduledNs.get(q);
      expect(latency).toBeGreaterThanOrEqual(blockEnd - r.queryScheduledNs.get(q));
      during++;
    }
    expect(during).toBeGreaterThan(50);
    expect(outcome.summary.sampleLatency!.maxNs).toBeGreaterThanOrEqual(1e9);
    expect(outcome.summary.issueDelay!.maxNs).toBeGreaterThan(0.9e9);
    expect(outcome.checks.find((c) => c.name === 'latencyConstraint')!.passed).toBe(false);
  });
});

describe('Server warmup', () => {
  it('warms the open-loop issue path on its own schedule stream: the measured plan is unchanged', async () => {
    const s = settings({ scenario: 'server', latencyPercentile: 99, latencyBoundMs: 50, targetQps: 200, minDurationMs: 2000 });
    const offsets = async (warmupQueryCount: number) => {
      const clock = new VirtualClock();
      const outcome = await runTest(nullSut(clock, { serviceTimeNs: 1_000_000 }), new FakeLibrary(256), { ...s, warmupQueryCount }, { clock });
      const r = outcome.recorder;
      return {
        notes: outcome.notes,
        offsets: Array.from({ length: r.queryCount }, (_, q) => r.queryScheduledNs.get(q) - outcome.startNs),
        samples: Array.from(r.sampleDatasetIndex.view()),
      };
    };
    const cold = await offsets(0);
    const warm = await offsets(20);
    expect(warm.offsets).toEqual(cold.offsets);
    expect(warm.samples).toEqual(cold.samples);
    expect(warm.notes.some((n) => /^warmed the Server issue path with \d+ uncounted queries at 200 QPS/.test(n))).toBe(true);
    expect(cold.notes.some((n) => n.startsWith('warmed'))).toBe(false);
  });
});

describe('Server run length', () => {
  it('extends the plan, continuing the same stream, until early stopping can pass', async () => {
    const clock = new VirtualClock();
    // One query in 200 takes 100 ms (over a 10 ms bound): 0.5% over, fine for p99, but the
    // 600 arrivals that 2 s at 300 QPS plans are too few for early stopping with a few over.
    const sut = new ScriptedSut(clock, (id) => ({ delayNs: id % 200 === 199 ? 100e6 : 1e6 }));
    const s = settings({ scenario: 'server', latencyPercentile: 99, latencyBoundMs: 10, targetQps: 300, minDurationMs: 2000 });
    const outcome = await runTest(sut, new FakeLibrary(256), s, { clock });
    const planned = outcome.notes.find((n) => n.startsWith('planned '))!;
    const initial = Number(/^planned (\d+)/.exec(planned)![1]);
    expect(outcome.notes.some((n) => /^the plan was extended \dx/.test(n))).toBe(true);
    expect(outcome.summary.queriesIssued).toBeGreaterThan(initial);
    expect(outcome.summary.earlyStopping!.passed).toBe(true);
    // Extending continues the same seeded stream: the first `initial` arrivals are the plan's.
    const schedule = new ArrivalSchedule(300, OFFICIAL_SEEDS.schedule);
    schedule.extendTo(outcome.summary.queriesIssued);
    const r = outcome.recorder;
    for (let q = 0; q < r.queryCount; q++) expect(r.queryScheduledNs.get(q) - outcome.startNs).toBe(schedule.offsetNs(q));
  });
});
