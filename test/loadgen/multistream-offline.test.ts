import { describe, expect, it } from 'vitest';
import { padForContiguousQueries, selectSampleSet } from '../../src/loadgen/plan.js';
import { runTest } from '../../src/loadgen/run-test.js';
import { VirtualClock } from '../../src/loadgen/virtual-clock.js';
import { FakeLibrary, nullSut, settings } from '../helpers/fakes.js';

describe('MultiStream', () => {
  it('issues 8 contiguous samples per query; query latency is the last sample\'s', async () => {
    const clock = new VirtualClock();
    const s = settings({ scenario: 'multistream', latencyPercentile: 99, samplesPerQuery: 8, minDurationMs: 100, minQueryCount: 662 });
    const lib = new FakeLibrary(1024, 256);
    const outcome = await runTest(nullSut(clock, { serviceTimeNs: 1_000_000 }), lib, s, { clock });
    // One server, 1 ms per sample: samples finish at 1..8 ms, the query at 8 ms.
    expect(outcome.summary.queriesIssued).toBe(662);
    expect(outcome.summary.samplesIssued).toBe(662 * 8);
    expect(outcome.summary.queryLatency!.minNs).toBe(8e6);
    expect(outcome.summary.queryLatency!.maxNs).toBe(8e6);
    expect(outcome.summary.sampleLatency!.percentilesNs['50']).toBe(5e6);
    expect(outcome.summary.earlyStopping!.estimateNs).toBe(8e6);
    expect(outcome.summary.metric.value).toBe(8);
    // Contiguous: each query's dataset indices are 8 neighbours in the (padded) loaded set.
    const r = outcome.recorder;
    expect(r.sampleDatasetIndex.length).toBe(662 * 8);
    const padded = padForContiguousQueries(selectSampleSet(1024, 256, s.seeds.sampleSet), 8);
    const position = new Map(Array.from(padded.subarray(0, 256), (index, i) => [index, i]));
    for (let q = 0; q < 662; q++) {
      const query = Array.from(r.sampleDatasetIndex.view().subarray(q * 8, q * 8 + 8));
      const start = position.get(query[0] ?? -1) ?? -1;
      expect(query).toEqual(Array.from(padded.subarray(start, start + 8)));
    }
  });
});

describe('Offline', () => {
  it('issues one query of max(minQueryCount, 1.1 x duration x expected QPS) samples and reports samples/s', async () => {
    const clock = new VirtualClock();
    const s = settings({ scenario: 'offline', minDurationMs: 1000, minQueryCount: 100, offlineExpectedQps: 3000 });
    const outcome = await runTest(nullSut(clock, { serviceTimeNs: 1_000_000, concurrency: 4 }), new FakeLibrary(512), s, { clock });
    // 3300 samples, 4 servers, 1 ms each: the last finishes at ceil(3300 / 4) = 825 ms.
    expect(outcome.summary.queriesIssued).toBe(1);
    expect(outcome.summary.samplesIssued).toBe(3300);
    expect(outcome.summary.durationNs).toBe(825e6);
    expect(outcome.summary.metric).toEqual({ name: 'samples per second', value: 4000, unit: 'samples/s' });
    const duration = outcome.checks.find((c) => c.name === 'minDuration')!;
    expect(duration.passed).toBe(false);
    expect(duration.recommendation).toBe(
      'the system is faster than the query was sized for: set --offline-expected-qps 4800 (measured 4000.0 samples/s, plus 20%)',
    );
  });

  it('is VALID when sized right', async () => {
    const clock = new VirtualClock();
    const s = settings({ scenario: 'offline', minDurationMs: 1000, minQueryCount: 100, offlineExpectedQps: 4000 });
    const outcome = await runTest(nullSut(clock, { serviceTimeNs: 1_000_000, concurrency: 4 }), new FakeLibrary(512), s, { clock });
    expect(outcome.summary.samplesIssued).toBe(4400);
    expect(outcome.summary.durationNs).toBe(1100e6);
    expect(outcome.checks.every((c) => c.passed)).toBe(true);
  });
});
