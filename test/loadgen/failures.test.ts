import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { minQueriesForEstimate } from '../../src/loadgen/early-stopping.js';
import { runTest } from '../../src/loadgen/run-test.js';
import { VirtualClock } from '../../src/loadgen/virtual-clock.js';
import { FakeLibrary, ScriptedSut, settings } from '../helpers/fakes.js';

describe('failing and silent SUTs', () => {
  it('counts failed samples, excludes them from latency, and judges the run INVALID', async () => {
    const clock = new VirtualClock();
    const sut = new ScriptedSut(clock, (id) => (id % 10 === 9 ? 'fail' : { delayNs: 1e6 }));
    const s = settings({ scenario: 'singlestream', minDurationMs: 0, minQueryCount: 200 });
    const outcome = await runTest(sut, new FakeLibrary(100), s, { clock });
    expect(outcome.summary.queriesIssued).toBe(200);
    expect(outcome.summary.samplesFailed).toBe(20);
    expect(outcome.summary.samplesCompleted).toBe(180);
    expect(outcome.summary.sampleLatency!.count).toBe(180);
    expect(outcome.summary.errors).toEqual([{ message: 'scripted failure', count: 20 }]);
    const check = outcome.checks.find((c) => c.name === 'completedAll')!;
    expect(check.passed).toBe(false);
    expect(check.recommendation).toContain('"scripted failure", 20x');
  });

  it('declares an unanswered sample missing after the timeout and goes on: the run never hangs', async () => {
    const clock = new VirtualClock();
    const sut = new ScriptedSut(clock, (id) => (id === 5 ? 'lose' : { delayNs: 1e6 }));
    const s = settings({ scenario: 'singlestream', minDurationMs: 0, minQueryCount: 50, queryTimeoutMs: 100 });
    const outcome = await runTest(sut, new FakeLibrary(100), s, { clock });
    // SingleStream runs on until the p90 early-stopping estimate is computable.
    const expected = Math.max(50, minQueriesForEstimate(0.9));
    expect(outcome.summary.queriesIssued).toBe(expected);
    expect(outcome.summary.samplesMissing).toBe(1);
    expect(outcome.summary.samplesCompleted).toBe(expected - 1);
  });

  it('Server: a SUT that stops answering ends within the timeout with what was measured', async () => {
    const clock = new VirtualClock();
    const sut = new ScriptedSut(clock, (id) => (id >= 300 ? 'lose' : { delayNs: 1e6 }));
    const s = settings({ scenario: 'server', latencyPercentile: 99, latencyBoundMs: 10, targetQps: 200, minDurationMs: 2000, queryTimeoutMs: 500 });
    const outcome = await runTest(sut, new FakeLibrary(100), s, { clock });
    expect(outcome.summary.samplesCompleted).toBe(300);
    expect(outcome.summary.samplesMissing).toBe(outcome.summary.samplesIssued - 300);
    expect(outcome.checks.find((c) => c.name === 'latencyConstraint')!.passed).toBe(false);
  });

  it('an abort stops issuing and keeps what completed, marked aborted', async () => {
    const clock = new VirtualClock();
    const sut = new ScriptedSut(clock, () => ({ delayNs: 1e6 }));
    const controller = new AbortController();
    clock.at(clock.nowNs() + 500e6, () => controller.abort());
    const s = settings({ scenario: 'singlestream', minDurationMs: 10_000 });
    const outcome = await runTest(sut, new FakeLibrary(100), s, { clock, signal: controller.signal });
    expect(outcome.status).toBe('aborted');
    expect(outcome.summary.samplesCompleted).toBeGreaterThan(400);
    expect(outcome.summary.samplesCompleted).toBeLessThan(502);
  });
});

describe('accuracy mode', () => {
  it('issues every dataset sample exactly once, a performance set at a time', async () => {
    const clock = new VirtualClock();
    const sut = new ScriptedSut(clock, () => ({ delayNs: 1e3 }));
    const lib = new FakeLibrary(1000, 128);
    const outcome = await runTest(sut, lib, settings({ scenario: 'offline', mode: 'accuracy' }), { clock });
    const seen = [...outcome.recorder.sampleDatasetIndex.view()].sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(lib.loadCalls).toBe(8);
    expect(outcome.recorder.responses!.filter((r) => r !== undefined).length).toBe(1000);
  });
});

describe('the abort signal', () => {
  it('keeps no listener once a run is over, however many phases it had', async () => {
    const clock = new VirtualClock();
    const sut = new ScriptedSut(clock, () => ({ delayNs: 1e3 }));
    const controller = new AbortController();
    // Accuracy mode over 12 chunks, then a Server run with warmup: many phases on one signal.
    await runTest(sut, new FakeLibrary(1200, 100), settings({ scenario: 'singlestream', mode: 'accuracy' }), { clock, signal: controller.signal });
    const server = settings({ scenario: 'server', latencyPercentile: 99, latencyBoundMs: 10, targetQps: 500, minDurationMs: 500, warmupQueryCount: 10 });
    await runTest(sut, new FakeLibrary(100), server, { clock, signal: controller.signal });
    expect(EventEmitter.getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('a SUT that answers twice or too late', () => {
  it('has the extra completions ignored and said in the notes', async () => {
    const clock = new VirtualClock();
    const sut = new ScriptedSut(clock, () => ({ delayNs: 1e6 }));
    const doubled = {
      name: 'doubled',
      issueQuery: (query: Parameters<typeof sut.issueQuery>[0], sink: Parameters<typeof sut.issueQuery>[1]) => {
        sut.issueQuery(query, sink);
        if (query.queryId % 10 === 0) clock.at(clock.nowNs() + 2e6, () => sink.complete(query.firstSampleId));
      },
      flushQueries: () => {},
    };
    const outcome = await runTest(doubled, new FakeLibrary(100), settings({ scenario: 'singlestream', minDurationMs: 0, minQueryCount: 100 }), { clock });
    const n = outcome.summary.queriesIssued;
    expect(outcome.summary.samplesCompleted).toBe(n);
    expect(outcome.notes).toContain(`${Math.ceil(n / 10)} completions arrived for samples already settled (answered twice, or after being declared missing): ignored`);
  });
});
