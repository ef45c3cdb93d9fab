import { describe, expect, it } from 'vitest';
import { headlineOf } from '../../src/compare/headline.js';
import type { RunResult } from '../../src/results/types.js';
import { baseline, singleStream, sweep } from '../fixtures/compare/inputs.js';
import { resultWith } from '../fixtures/result-fixture.js';
import { NO_TOKEN_METRICS } from './llm-results.js';

const asResult = (result: RunResult) => headlineOf({ kind: 'result', file: 'result.json', result });

describe('headline metrics by scenario', () => {
  it('Server: completed samples/s, goodput, sample latency percentiles in ms', () => {
    const h = asResult(baseline);
    expect(h.values).toEqual({ throughput: 400, goodput: 400, p50: 2, p90: 4, p99: 10, 'p99.9': 16, metric: 400, accuracy: null, 'server-queue': null, 'server-compute': null, network: null, ...NO_TOKEN_METRICS });
    expect(h.metric).toEqual({ name: 'completed samples per second', unit: 'samples/s' });
    expect(h.throughputBasis).toBe('Server: completed samples/s (LoadGen)');
    expect(h.valid).toBe(true);
  });

  it('a run against a remote server: the server\'s mean queue and compute, and the rest of the wait as network', () => {
    const stats = (meanNs: number) => ({ count: 1, minNs: meanNs, maxNs: meanNs, meanNs, percentilesNs: {}, hdrHistogram: '' });
    const remote = {
      protocol: 'kserve-http' as const,
      url: 'http://127.0.0.1:8000',
      model: 'shapes-cnn',
      requests: 1,
      retries: 0,
      errorsByKind: { refused: 0, 'server-error': 0, 'client-error': 0, connection: 0, timeout: 0, malformed: 0 },
      serializeNs: stats(20_000),
      networkAndServerNs: stats(3_000_000),
      deserializeNs: stats(10_000),
      serverQueueNs: stats(1_000_000),
      serverComputeNs: stats(700_000),
      serverTimingSource: 'response parameters',
      maxOutstanding: 16,
      heldBackQueries: 0,
    };
    const h = asResult({ ...baseline, remote });
    expect([h.values['server-queue'], h.values['server-compute'], h.values.network]).toEqual([1, 0.7, 1.3]);
    const noServerTiming = asResult({ ...baseline, remote: { ...remote, serverQueueNs: null, serverComputeNs: null } });
    expect([noServerTiming.values['server-queue'], noServerTiming.values['server-compute'], noServerTiming.values.network]).toEqual([null, null, null]);
  });

  it('SingleStream: throughput is 1000 / the latency metric in ms (queries/s)', () => {
    const h = asResult(singleStream);
    expect(h.values.throughput).toBe(400);
    expect(h.values.metric).toBe(2.5);
    expect(h.values.goodput).toBeNull();
    expect(h.throughputBasis).toBe('SingleStream: queries/s = 1000 / p90 sample latency (early-stopping estimate) (ms)');
  });

  it('SingleStream without a metric estimate has no throughput', () => {
    const h = asResult(resultWith((r) => {
      r.summary.scenario = 'singlestream';
      r.summary.metric = { name: 'p90 sample latency (early-stopping estimate)', value: null, unit: 'ms' };
    }));
    expect(h.values.throughput).toBeNull();
  });

  it('MultiStream: latencies from query latency', () => {
    const h = asResult(resultWith((r) => {
      r.summary.scenario = 'multistream';
      r.summary.metric = { name: 'p99 query latency (early-stopping estimate)', value: 8, unit: 'ms' };
      r.summary.queryLatency = { ...r.summary.sampleLatency!, percentilesNs: { '50': 5_000_000, '90': 6_000_000, '99': 8_000_000 } };
    }));
    expect(h.values).toMatchObject({ throughput: 125, p50: 5, p90: 6, p99: 8, 'p99.9': null });
  });

  it('Offline: samples/s; accuracy when present', () => {
    const h = asResult(resultWith((r) => {
      r.summary.scenario = 'offline';
      r.summary.metric = { name: 'samples per second', value: 1234.5, unit: 'samples/s' };
      r.summary.completedSamplesPerSecond = null;
      r.summary.goodputSamplesPerSecond = null;
      r.summary.accuracy = { metric: 'top-1', value: 0.75, target: null, passed: null, sampleCount: 256 };
    }));
    expect(h.values.throughput).toBe(1234.5);
    expect(h.values.accuracy).toBe(0.75);
    expect(h.throughputBasis).toBe('Offline: samples/s');
  });

  it('sweep: peak QPS, latencies and goodput of its confirmation run', () => {
    const h = headlineOf({ kind: 'sweep', file: 'sweep.json', sweep });
    expect(h.values).toEqual({ throughput: 420, goodput: 419, p50: 2.5, p90: 5, p99: 9, 'p99.9': null, metric: 420, accuracy: null, 'server-queue': null, 'server-compute': null, network: null, ...NO_TOKEN_METRICS });
    expect(h.valid).toBe(true);
    expect(h.throughputBasis).toBe('sweep (server): peak QPS; latencies from its confirmation run confirm-420');
  });

  it('sweep without a peak: no throughput, no verdict', () => {
    const h = headlineOf({ kind: 'sweep', file: 'sweep.json', sweep: { ...sweep, peak: null } });
    expect(h.values.throughput).toBeNull();
    expect(h.values.p99).toBeNull();
    expect(h.valid).toBeNull();
  });
});
