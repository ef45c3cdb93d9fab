import type { MetricName } from './types.js';

/** A metric value for people: rates with 2 decimals, ms with 3, accuracy as a percent. */
export function formatValue(name: MetricName, value: number | null, metricUnit: string): string {
  if (value === null) return '-';
  switch (name) {
    case 'throughput':
    case 'goodput':
    case 'tokens':
    case 'token-goodput':
      return value.toFixed(2);
    case 'p50':
    case 'p90':
    case 'p99':
    case 'p99.9':
    case 'ttft-p50':
    case 'ttft-p99':
    case 'tpot-p50':
    case 'tpot-p99':
    case 'itl-p99':
    case 'server-queue':
    case 'server-compute':
    case 'network':
      return value.toFixed(3);
    case 'accuracy':
      return `${(value * 100).toFixed(2)}%`;
    case 'metric':
      return `${value.toFixed(metricUnit === 'ms' ? 3 : 2)} ${metricUnit}`;
  }
}
