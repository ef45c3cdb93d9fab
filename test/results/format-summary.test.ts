import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/results/format-summary.js';
import { resultWith, serverResult } from '../fixtures/result-fixture.js';

const ESC = '\x1b[';

const EXPECTED = `================================================================
mlbench result 20261123T183205Z-server-a1b2c3 (started 2026-11-23T18:32:05.123Z)
================================================================
Workload : shapes-cnn (workloads/shapes-cnn/workload.json)
Model    : workloads/shapes-cnn/model.onnx (sha256 3f2a9c1b4e5d, 412.5 KiB)
Backend  : ort, onnxruntime-node 1.30.0 (executionProvider=cpu, intraOpThreads=2, interOpThreads=1, graphOptimization=all, executionMode=sequential)
Scenario : server, performance mode
Status   : completed

completed samples per second : 399.61 samples/s
Result is : VALID
  ✓ minDuration        last scheduled query at 10012.346 ms, minimum 10000 ms
  ✓ minQueries         4012 queries issued, minimum 100
  ✓ latencyConstraint  p99 latency 9.877 ms (failures count as over), bound 15 ms
  ✓ earlyStopping      Early stopping passed (99th percentile at 99% confidence): 4012 queries, 9 over the latency bound; 2123 would have sufficed.
  ✓ completedAll       all 4012 samples answered
Early stopping: passed, 4012 queries, 9 over the bound, 2123 needed

Measured: 4012 queries, 4012 samples in 10.012 s
  latency       sample (ms)  issue delay (µs)
  min                 0.812               1.2
  mean                2.235              18.4
  p50                 1.890              12.3
  p90                 3.457              35.6
  p95                 4.568              48.9
  p97                 5.679              61.2
  p99 (target)        9.877              98.7
  p99.9              16.235             412.3
  max                21.346            1023.4

Completed samples/s : 399.61
Scheduled samples/s : 400.41
Goodput samples/s   : 398.72
Warmup: 50 queries, first query 12.346 ms; cold start (session creation) 85.123 ms
Settings: target QPS 400, latency bound 15 ms at p99, min duration 10000 ms, min queries 100
Seeds: sampleSet 2085463073848966840, sampleIndex 2747215439041700203, schedule 16159082839903944936
Notes:
  • latencyBoundMs 15 from the workload defaults for server
  • planned 4012 Poisson arrivals at 400 QPS before the clock started
`;

const overloaded = resultWith((d) => {
  d.validity.valid = false;
  const latency = d.validity.checks[2];
  if (latency === undefined) throw new Error('fixture has no latency check');
  latency.passed = false;
  latency.detail = 'p99 latency 21.000 ms (failures count as over), bound 15 ms';
  latency.recommendation = 'lower --target-qps (this run: 400; try about 320) or raise --latency-bound-ms';
  d.summary.loadgenBottleneck = true;
  d.summary.samplesFailed = 3;
  d.summary.errors = [{ message: 'session.run: out of memory', count: 3 }];
});

describe('formatSummary', () => {
  it('renders the fixture exactly, without colour', () => {
    expect(formatSummary(serverResult, { color: false })).toBe(EXPECTED);
  });

  it('stays under 50 lines for a full Server result', () => {
    expect(EXPECTED.split('\n').length).toBeLessThan(50);
  });

  it('says INVALID, marks the failed check and gives its recommendation', () => {
    const text = formatSummary(overloaded, { color: false });
    expect(text).toContain('Result is : INVALID');
    expect(text).toContain('  ✗ latencyConstraint  p99 latency 21.000 ms');
    expect(text).toContain('      → lower --target-qps (this run: 400; try about 320) or raise --latency-bound-ms');
    expect(text).toContain('LOADGEN BOTTLENECK');
    expect(text).toContain('  3 × session.run: out of memory');
  });

  it('shows n/a for a metric that could not be computed', () => {
    const text = formatSummary(
      resultWith((d) => {
        d.summary.metric = { name: 'p90 sample latency (early-stopping estimate)', value: null, unit: 'ms' };
      }),
      { color: false },
    );
    expect(text).toContain('p90 sample latency (early-stopping estimate) : n/a\n');
  });

  it("says what took the main thread away during the measured window, or that the OS does not tell", () => {
    const measured = formatSummary(
      resultWith((d) => {
        d.summary.mainThread = { gcPauses: { count: 7, totalMs: 3.64, maxMs: 0.731 }, cpuWait: { runQueueWaitMs: 12.34, involuntarySwitches: 41 } };
      }),
      { color: false },
    );
    expect(measured).toContain('Main thread during the measured window: 7 GC pauses (3.6 ms in all, longest 0.73 ms); waited 12.3 ms for a CPU, preempted 41 times\n');
    const elsewhere = formatSummary(
      resultWith((d) => {
        d.summary.mainThread = { gcPauses: { count: 0, totalMs: 0, maxMs: 0 }, cpuWait: null };
      }),
      { color: false },
    );
    expect(elsewhere).toContain('Main thread during the measured window: 0 GC pauses (0.0 ms in all, longest 0.00 ms); CPU wait not readable on this OS\n');
  });

  it('shows the status reason of a run that did not complete', () => {
    const text = formatSummary(
      resultWith((d) => {
        d.status = 'aborted';
        d.statusReason = 'interrupted by the user (SIGINT/SIGTERM)';
      }),
      { color: false },
    );
    expect(text).toContain('Status   : aborted: interrupted by the user (SIGINT/SIGTERM)\n');
  });

  it('uses ANSI codes only when asked', () => {
    expect(formatSummary(overloaded, { color: false })).not.toContain(ESC);
    const coloured = formatSummary(overloaded, { color: true });
    expect(coloured).toContain('\x1b[31mINVALID\x1b[0m');
    expect(formatSummary(serverResult, { color: true })).toContain('\x1b[32mVALID\x1b[0m');
  });
});
