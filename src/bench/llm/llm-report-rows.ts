import { SCHEDULERS } from '../../llm/engine/types.js';
import type { LlmResult } from './llm-batching.js';

/** The printed report's rows for the llm bench: pure, one row per scheduler and phase, then the ratios. */
export function llmRows(r: LlmResult): string[][] {
  const o = r.options;
  const rows: string[][] = [
    ['setup', `${r.workload}, --max-batch ${o.maxBatch}, ${o.repetitions} repetition${o.repetitions === 1 ? '' : 's'} alternating (medians)`],
  ];
  for (const scheduler of SCHEDULERS) {
    const m = r.medians[scheduler];
    const runs = r.offline.filter((x) => x.scheduler === scheduler).map((x) => tokensPerSecond(x.outputTokensPerSecond));
    rows.push([
      `${scheduler}, Offline (${o.offlineSamples} at once)`,
      `${tokensPerSecond(m.offlineOutputTokensPerSecond)} output tokens/s, ${fixed(m.offlineRequestsPerSecond, 2)} requests/s (runs ${runs.join(', ')})`,
    ]);
  }
  for (const scheduler of SCHEDULERS) {
    const m = r.medians[scheduler];
    rows.push([
      `${scheduler}, Server ${r.serverTargetQps} QPS, ${o.serverDurationMs / 1000} s`,
      `TTFT p50 ${ms(m.serverTtftP50Ns)}, p99 ${ms(m.serverTtftP99Ns)}; TPOT p99 ${ms(m.serverTpotP99Ns)}; ${tokensPerSecond(m.serverOutputTokensPerSecond)} output tokens/s; goodput ${fixed(m.serverGoodputRequestsPerSecond, 2)} requests/s`,
    ]);
  }
  const q = r.ratios;
  rows.push(
    ['Server load', `${Math.round(o.serverLoadShare * 100)}% of static's median Offline ${fixed(r.medians.static.offlineRequestsPerSecond, 2)} requests/s; goodput within TTFT ${o.ttftBoundMs} ms, TPOT ${o.tpotBoundMs} ms`],
    ['continuous / static, Offline tokens/s', `${fixed(q.offlineTokensPerSecondContinuousOverStatic, 2)}x (by repetition ${xs(q.offlineTokensPerSecondByRepetition)})`],
    ['static / continuous, Server TTFT', `p99 ${fixed(q.serverTtftP99StaticOverContinuous, 2)}x (by repetition ${xs(q.serverTtftP99ByRepetition)}), p50 ${fixed(q.serverTtftP50StaticOverContinuous, 2)}x`],
  );
  return rows;
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

function xs(ratios: readonly number[]): string {
  return ratios.map((r) => `${fixed(r, 2)}x`).join(', ');
}

function tokensPerSecond(value: number): string {
  return fixed(value, 0);
}

function ms(ns: number): string {
  return `${fixed(ns / 1e6, 1)} ms`;
}
