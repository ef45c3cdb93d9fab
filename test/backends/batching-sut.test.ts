import { describe, expect, it } from 'vitest';
import { BatchingSut } from '../../src/backends/batching-sut.js';
import type { BatchOutputs, InferenceBackend, SampleFeeds } from '../../src/backends/types.js';
import { runTest } from '../../src/loadgen/run-test.js';
import type { Clock, ResponseSink } from '../../src/loadgen/types.js';
import { VirtualClock } from '../../src/loadgen/virtual-clock.js';
import { FakeLibrary, settings } from '../helpers/fakes.js';

/** A backend answering every call after a fixed service time on the given clock. */
function slowBackend(clock: Clock, serviceNs: number): InferenceBackend {
  return {
    description: { name: 'slow', versions: {}, settings: {}, coldStartNs: null },
    inputs: [],
    dynamicBatch: true,
    infer: (samples: readonly SampleFeeds[]) =>
      new Promise<BatchOutputs>((done) => clock.at(clock.nowNs() + serviceNs, () => done({ y: { data: new Float32Array(samples.length), dims: [samples.length] } }))),
    dispose: async () => {},
  };
}

const noFeeds = (): SampleFeeds => ({});

function countingSink(): ResponseSink & { completed: number[] } {
  const completed: number[] = [];
  return {
    completed,
    complete: (id) => completed.push(id),
    completeRange: (first, count) => {
      for (let i = 0; i < count; i++) completed.push(first + i);
    },
    fail: () => {},
    tokens: () => {},
  };
}

describe('BatchingSut: the cap on calls in flight', () => {
  it('counts the queries that found every slot busy, and still answers them all', async () => {
    const clock = new VirtualClock();
    const sut = new BatchingSut(slowBackend(clock, 1e6), noFeeds, clock, { maxBatchSize: 1, maxInFlight: 2, batchWindowNs: 0 });
    const sink = countingSink();
    for (let q = 0; q < 5; q++) sut.issueQuery({ queryId: q, firstSampleId: q, count: 1, sampleIndices: Int32Array.of(q) }, sink);
    expect(sut.heldBackQueries()).toBe(3);
    await new Promise<void>((done) => clock.at(clock.nowNs() + 10e6, done));
    expect(sink.completed.sort()).toEqual([0, 1, 2, 3, 4]);
    sut.resetBatchSizes();
    expect(sut.heldBackQueries()).toBe(0);
  });

  it('Server: held-back queries mark the load generator as the bottleneck, with a note', async () => {
    const clock = new VirtualClock();
    const sut = new BatchingSut(slowBackend(clock, 4e6), noFeeds, clock, { maxBatchSize: 1, maxInFlight: 1, batchWindowNs: 0 });
    // 200 QPS against a 4 ms service: about 80% busy, so some arrivals find the one slot taken.
    const s = settings({ scenario: 'server', targetQps: 200, latencyBoundMs: 1000, minDurationMs: 1000, minQueryCount: 100 });
    const outcome = await runTest(sut, new FakeLibrary(64), s, { clock, heldBackQueries: () => sut.heldBackQueries() });
    const held = sut.heldBackQueries();
    expect(held).toBeGreaterThan(0);
    expect(outcome.summary.loadgenBottleneck).toBe(true);
    expect(outcome.notes).toContain(
      `${held} queries waited in the client because its cap on outstanding requests was reached: the load generator side held them back (raise --max-outstanding / --connections)`,
    );
  });

  it('without the hook (a local backend queueing is the SUT itself) the same run is not flagged', async () => {
    const clock = new VirtualClock();
    const sut = new BatchingSut(slowBackend(clock, 4e6), noFeeds, clock, { maxBatchSize: 1, maxInFlight: 1, batchWindowNs: 0 });
    const s = settings({ scenario: 'server', targetQps: 200, latencyBoundMs: 1000, minDurationMs: 1000, minQueryCount: 100 });
    const outcome = await runTest(sut, new FakeLibrary(64), s, { clock });
    expect(sut.heldBackQueries()).toBeGreaterThan(0);
    expect(outcome.summary.loadgenBottleneck).toBe(false);
  });
});
