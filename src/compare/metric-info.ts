import type { Better, MetricName } from './types.js';

export interface MetricInfo {
  /** null for `metric`: its direction follows its unit (see betterFor). */
  readonly better: Better | null;
  /** Unit of the value in HeadlineMetrics; null for `metric` (the scenario's own unit). */
  readonly unit: 'ms' | '/s' | 'fraction' | null;
}

/** Every metric a gate may name; `satisfies` makes adding a metric fail until it is described. */
export const METRIC_INFO = {
  throughput: { better: 'higher', unit: '/s' },
  goodput: { better: 'higher', unit: '/s' },
  tokens: { better: 'higher', unit: '/s' },
  'token-goodput': { better: 'higher', unit: '/s' },
  p50: { better: 'lower', unit: 'ms' },
  p90: { better: 'lower', unit: 'ms' },
  p99: { better: 'lower', unit: 'ms' },
  'p99.9': { better: 'lower', unit: 'ms' },
  'ttft-p50': { better: 'lower', unit: 'ms' },
  'ttft-p99': { better: 'lower', unit: 'ms' },
  'tpot-p50': { better: 'lower', unit: 'ms' },
  'tpot-p99': { better: 'lower', unit: 'ms' },
  'itl-p99': { better: 'lower', unit: 'ms' },
  metric: { better: null, unit: null },
  accuracy: { better: 'higher', unit: 'fraction' },
  'server-queue': { better: 'lower', unit: 'ms' },
  'server-compute': { better: 'lower', unit: 'ms' },
  network: { better: 'lower', unit: 'ms' },
} as const satisfies Record<MetricName, MetricInfo>;

/** The scenario metric is a latency (SingleStream, MultiStream) or a rate (Server, Offline). */
export function betterFor(name: MetricName, metricUnit: string): Better {
  return METRIC_INFO[name].better ?? (isTimeUnit(metricUnit) ? 'lower' : 'higher');
}

function isTimeUnit(unit: string): boolean {
  return unit === 'ms' || unit === 'ns' || unit === 'us' || unit === 's';
}
