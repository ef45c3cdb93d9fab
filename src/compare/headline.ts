import type { LatencyStats, RunResult, TokenSummary } from '../results/types.js';
import type { SweepPoint, SweepResult } from '../sweep/types.js';
import type { HeadlineMetrics, MeasuredInput, MetricName, TokenMetricName } from './types.js';

const PERCENTILES = [
  ['p50', '50'],
  ['p90', '90'],
  ['p99', '99'],
  ['p99.9', '99.9'],
] as const;

/** The numbers a comparison puts side by side, whatever kind of input they came from. */
export function headlineOf(input: MeasuredInput): HeadlineMetrics {
  return input.kind === 'result' ? resultHeadline(input.result) : sweepHeadline(input.sweep);
}

function resultHeadline(r: RunResult): HeadlineMetrics {
  const s = r.summary;
  const metricValue = s.metric.value;
  // MultiStream is judged on query latency (a query is samplesPerQuery samples); the rest on sample latency.
  const latency = s.scenario === 'multistream' ? (s.queryLatency ?? s.sampleLatency) : s.sampleLatency;
  let throughput: number | null;
  let basis: string;
  // LLM runs' Server and Offline metric is output tokens/s (LoadGen's): not a sample rate.
  const metricIsSampleRate = s.metric.unit !== 'tokens/s';
  switch (s.scenario) {
    case 'server':
      throughput = s.completedSamplesPerSecond ?? (metricIsSampleRate ? metricValue : null);
      basis = 'Server: completed samples/s (LoadGen)';
      break;
    case 'offline':
      throughput = metricIsSampleRate ? metricValue : s.durationNs > 0 ? s.samplesCompleted / (s.durationNs / 1e9) : null;
      basis = metricIsSampleRate ? 'Offline: samples/s' : 'Offline: completed samples / duration (the scenario metric is tokens/s)';
      break;
    case 'singlestream':
    case 'multistream':
      // One query in flight at a time, so 1000 / latency (ms) is the query rate the run sustained.
      throughput = metricValue !== null && metricValue > 0 ? 1000 / metricValue : null;
      basis = `${s.scenario === 'singlestream' ? 'SingleStream' : 'MultiStream'}: queries/s = 1000 / ${s.metric.name} (ms)`;
      break;
  }
  const values: Record<MetricName, number | null> = {
    throughput,
    goodput: s.goodputSamplesPerSecond,
    ...latencyMs(latency),
    metric: metricValue,
    accuracy: s.accuracy?.value ?? null,
    ...remoteMs(r),
    ...tokenMetrics(s.tokens ?? null),
  };
  return { values, metric: { name: s.metric.name, unit: s.metric.unit }, throughputBasis: basis, valid: r.validity.valid };
}

/** Mean per request: the server's own queue and compute times, and the rest of the wait (network and protocol handling). */
function remoteMs(r: RunResult): Record<'server-queue' | 'server-compute' | 'network', number | null> {
  const queue = r.remote?.serverQueueNs ?? null;
  const compute = r.remote?.serverComputeNs ?? null;
  const wait = r.remote?.networkAndServerNs ?? null;
  return {
    'server-queue': queue === null ? null : queue.meanNs / 1e6,
    'server-compute': compute === null ? null : compute.meanNs / 1e6,
    network: wait === null || queue === null || compute === null ? null : Math.max(0, wait.meanNs - queue.meanNs - compute.meanNs) / 1e6,
  };
}

/**
 * LLM runs: token rates, and the token latencies at p50/p99 over completed samples (as p50..p99.9
 * are over completed samples); the judged p99 that counts failures as over is the validity check's.
 */
function tokenMetrics(t: TokenSummary | null): Record<TokenMetricName, number | null> {
  const ms = (stats: LatencyStats | null | undefined, key: string): number | null => nsToMs(stats?.percentilesNs[key]);
  return {
    tokens: t?.outputTokensPerSecond ?? null,
    'token-goodput': t?.goodputRequestsPerSecond ?? null,
    'ttft-p50': ms(t?.ttftNs, '50'),
    'ttft-p99': ms(t?.ttftNs, '99'),
    'tpot-p50': ms(t?.tpotNs, '50'),
    'tpot-p99': ms(t?.tpotNs, '99'),
    'itl-p99': ms(t?.itlNs, '99'),
  };
}

function latencyMs(stats: LatencyStats | null): Record<(typeof PERCENTILES)[number][0], number | null> {
  const out = { p50: null, p90: null, p99: null, 'p99.9': null } as Record<(typeof PERCENTILES)[number][0], number | null>;
  for (const [name, key] of PERCENTILES) {
    const ns = stats?.percentilesNs[key];
    out[name] = ns === undefined ? null : ns / 1e6;
  }
  return out;
}

/** A sweep's headline is its peak: the highest confirmed rate, with the confirmation run's latencies. */
function sweepHeadline(sw: SweepResult): HeadlineMetrics {
  const confirmation = confirmationPoint(sw);
  const metric = { name: 'peak SLO-valid QPS (find-peak)', unit: 'samples/s' };
  const peakQps = sw.peak?.qps ?? null;
  const values: Record<MetricName, number | null> = {
    throughput: peakQps,
    goodput: confirmation?.goodputQps ?? null,
    p50: nsToMs(confirmation?.latencyNs.p50),
    p90: nsToMs(confirmation?.latencyNs.p90),
    p99: nsToMs(confirmation?.latencyNs.p99),
    // sweep.json keeps p50/p90/p99 per point only.
    'p99.9': null,
    metric: peakQps,
    accuracy: null,
    // sweep.json does not keep the client/server split or token metrics.
    'server-queue': null,
    'server-compute': null,
    network: null,
    ...tokenMetrics(null),
  };
  const basis =
    sw.peak === null
      ? `sweep (${sw.mode}): no confirmed peak`
      : `sweep (${sw.mode}): peak QPS; latencies from its confirmation run ${sw.peak.confirmation.runId}`;
  return { values, metric, throughputBasis: basis, valid: sw.peak?.confirmation.valid ?? null };
}

/** The confirmation point of the peak: matched by run id, else the last confirmation point. */
function confirmationPoint(sw: SweepResult): SweepPoint | null {
  if (sw.peak === null) return null;
  const runId = sw.peak.confirmation.runId;
  const confirmations = sw.points.filter((p) => p.kind === 'confirmation');
  return confirmations.find((p) => p.runId === runId) ?? confirmations.at(-1) ?? null;
}

function nsToMs(ns: number | undefined): number | null {
  return ns === undefined ? null : ns / 1e6;
}
