import type { EarlyStoppingResult, TokenSummary, ValidityCheck } from '../results/types.js';
import { runLongerAdvice } from './run-longer-advice.js';
import type { TestSettings } from './settings.js';
import type { MeasuredSummary } from './summarize.js';

const ms = (ns: number): string => `${(ns / 1e6).toFixed(3)} ms`;

/**
 * Server with token latencies (LoadGen's PerfConstraintsMet with use_token_latencies): p99 TTFT
 * and p99 TPOT within their bounds, and early stopping passing on each.
 */
export function tokenChecks(settings: TestSettings, summary: MeasuredSummary): ValidityCheck[] {
  const tokens = summary.tokens;
  if (tokens === null || tokens === undefined) return [];
  const qps = settings.targetQps ?? 0;
  const lower = `lower --target-qps (this run: ${qps}; try about ${Math.max(0.1, Math.floor(qps * 8) / 10)})`;
  return [
    bound('ttftConstraint', 'TTFT', tokens.ttftAtPercentileNs, settings.ttftBoundMs, tokens, `${lower}, or raise --ttft-bound-ms`),
    bound('tpotConstraint', 'TPOT', tokens.tpotAtPercentileNs, settings.tpotBoundMs, tokens, `${lower}, or raise --tpot-bound-ms`),
    early('earlyStoppingTtft', 'TTFT', tokens.earlyStoppingTtft, settings),
    early('earlyStoppingTpot', 'TPOT', tokens.earlyStoppingTpot, settings),
  ];
}

function bound(
  name: 'ttftConstraint' | 'tpotConstraint',
  what: string,
  valueNs: number | null,
  boundMs: number | null,
  tokens: TokenSummary,
  lowerLoad: string,
): ValidityCheck {
  if (boundMs === null) {
    const flag = name === 'ttftConstraint' ? '--ttft-bound-ms' : '--tpot-bound-ms';
    return { name, passed: false, detail: `no ${what} bound`, recommendation: `give ${flag}: a Server run of an LLM is judged on it` };
  }
  const passed = valueNs !== null && valueNs <= boundMs * 1e6;
  const over = (name === 'ttftConstraint' ? tokens.overTtftBound : tokens.overTpotBound) ?? 0;
  const shown = valueNs !== null ? ms(valueNs) : over > 0 ? 'unbounded (failed or missing samples)' : 'none (no sample had one)';
  return {
    name,
    passed,
    detail: `p${tokens.percentile} ${what} ${shown} (failures count as over), bound ${boundMs} ms`,
    recommendation: passed ? null : lowerLoad,
  };
}

function early(name: 'earlyStoppingTtft' | 'earlyStoppingTpot', what: string, es: EarlyStoppingResult | null, settings: TestSettings): ValidityCheck {
  if (es === null) return { name, passed: false, detail: `no ${what} bound, so no early stopping on it`, recommendation: null };
  let recommendation: string | null = null;
  if (!es.passed && es.minQueriesNeeded !== null) {
    const overRate = es.queryCount > 0 ? es.overLatencyCount / es.queryCount : 0;
    recommendation =
      overRate >= 1 - es.percentile / 100
        ? `${es.overLatencyCount} of ${es.queryCount} samples were over the ${what} bound: more queries cannot pass; lower --target-qps`
        : runLongerAdvice(settings, es.minQueriesNeeded, es.queryCount);
  }
  return { name, passed: es.passed, detail: `${what}: ${es.message}`, recommendation };
}
