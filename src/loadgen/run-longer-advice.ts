import type { TestSettings } from './settings.js';

/**
 * Server runs short of early stopping's minimum: more queries, and, when the plan was cut by
 * the max duration at this rate, the duration that fits them (raising --min-query-count alone
 * would not help then).
 */
export function runLongerAdvice(settings: TestSettings, needed: number, have: number): string {
  const more = `run longer: at least ${needed - have} more queries (--min-query-count ${needed})`;
  const qps = settings.targetQps;
  if (qps === null || qps <= 0) return more;
  const fitMs = Math.ceil(((needed / qps) * 1000 * 1.1) / 1000) * 1000;
  return fitMs > settings.maxDurationMs ? `${more}; at ${qps} QPS they need about ${fitMs} ms, above --max-duration-ms ${settings.maxDurationMs}: raise it, or --target-qps` : more;
}
