import { SCHEDULERS, type SchedulerName } from '../../llm/engine/types.js';
import { checkTarget, medianOf, type TargetCheck } from '../types.js';
import type { LlmOfflineRun, LlmServerRun } from './llm-runs.js';

/** Each scheduler's medians over the repetitions. */
export interface LlmSchedulerMedians {
  readonly offlineOutputTokensPerSecond: number;
  readonly offlineRequestsPerSecond: number;
  readonly serverTtftP50Ns: number;
  readonly serverTtftP99Ns: number;
  readonly serverTpotP99Ns: number;
  readonly serverOutputTokensPerSecond: number;
  readonly serverGoodputRequestsPerSecond: number;
}

/** The two effects issue 6 names, as ratios of the medians. */
export interface LlmRatios {
  /** Throughput effect: above 1 when continuous batching generates more tokens per second. */
  readonly offlineTokensPerSecondContinuousOverStatic: number;
  /** Queueing effect: above 1 when requests wait longer for their first token under static batching. */
  readonly serverTtftP99StaticOverContinuous: number;
  readonly serverTtftP50StaticOverContinuous: number;
  /** The same ratios within each repetition, whose two runs ran back to back: less exposed to load drifting over the bench. */
  readonly offlineTokensPerSecondByRepetition: readonly number[];
  readonly serverTtftP99ByRepetition: readonly number[];
}

export const LLM_TARGET_NAME = 'LLM Offline output tokens/s, continuous / static batching (issue 6: continuous higher)';

/**
 * Repetition i runs the schedulers in this order: alternating which goes first, so a drift in the
 * machine's load (other work on a shared machine) does not always favour the same one.
 */
export function schedulerOrder(repetition: number): readonly SchedulerName[] {
  return repetition % 2 === 0 ? SCHEDULERS : [...SCHEDULERS].reverse();
}

/**
 * The Server runs' one offered load: `share` of the static scheduler's median Offline requests/s,
 * so both schedulers run below the slower one's saturation; rounded to 0.1 QPS.
 */
export function serverTargetQps(offline: readonly LlmOfflineRun[], share: number): number {
  const staticRate = medianOf(offline.filter((r) => r.scheduler === 'static').map((r) => r.requestsPerSecond));
  const qps = Math.round(share * staticRate * 10) / 10;
  if (!(qps > 0)) throw new Error(`llm bench: no usable static Offline rate (${staticRate} requests/s) to size the Server load from`);
  return qps;
}

export function mediansOf(scheduler: SchedulerName, offline: readonly LlmOfflineRun[], server: readonly LlmServerRun[]): LlmSchedulerMedians {
  const o = offline.filter((r) => r.scheduler === scheduler);
  const s = server.filter((r) => r.scheduler === scheduler);
  return {
    offlineOutputTokensPerSecond: medianOf(o.map((r) => r.outputTokensPerSecond)),
    offlineRequestsPerSecond: medianOf(o.map((r) => r.requestsPerSecond)),
    serverTtftP50Ns: medianOf(s.map((r) => r.ttftP50Ns)),
    serverTtftP99Ns: medianOf(s.map((r) => r.ttftP99Ns)),
    serverTpotP99Ns: medianOf(s.map((r) => r.tpotP99Ns)),
    serverOutputTokensPerSecond: medianOf(s.map((r) => r.outputTokensPerSecond)),
    serverGoodputRequestsPerSecond: medianOf(s.map((r) => r.goodputRequestsPerSecond)),
  };
}

export function ratiosOf(
  medians: Readonly<Record<SchedulerName, LlmSchedulerMedians>>,
  offline: readonly LlmOfflineRun[],
  server: readonly LlmServerRun[],
): LlmRatios {
  const c = medians.continuous;
  const s = medians.static;
  return {
    offlineTokensPerSecondContinuousOverStatic: c.offlineOutputTokensPerSecond / s.offlineOutputTokensPerSecond,
    serverTtftP99StaticOverContinuous: s.serverTtftP99Ns / c.serverTtftP99Ns,
    serverTtftP50StaticOverContinuous: s.serverTtftP50Ns / c.serverTtftP50Ns,
    offlineTokensPerSecondByRepetition: byRepetition(offline, (cont, stat) => cont.outputTokensPerSecond / stat.outputTokensPerSecond),
    serverTtftP99ByRepetition: byRepetition(server, (cont, stat) => stat.ttftP99Ns / cont.ttftP99Ns),
  };
}

/** `ratio(continuous run, static run)` for each repetition that has both, in repetition order. */
function byRepetition<R extends { readonly scheduler: SchedulerName; readonly repetition: number }>(runs: readonly R[], ratio: (continuous: R, fixed: R) => number): number[] {
  const repetitions = [...new Set(runs.map((r) => r.repetition))].sort((a, b) => a - b);
  const out: number[] = [];
  for (const repetition of repetitions) {
    const c = runs.find((r) => r.repetition === repetition && r.scheduler === 'continuous');
    const s = runs.find((r) => r.repetition === repetition && r.scheduler === 'static');
    if (c !== undefined && s !== undefined) out.push(ratio(c, s));
  }
  return out;
}

/** The promise, continuous Offline tokens/s above static: met when the ratio is above 1. */
export function llmTargets(ratios: LlmRatios): TargetCheck[] {
  const ratio = ratios.offlineTokensPerSecondContinuousOverStatic;
  const check = checkTarget(LLM_TARGET_NAME, ratio, 'atLeast', 1, 'x');
  // checkTarget's atLeast admits a tie; the issue promises strictly more.
  return [{ ...check, met: check.met && ratio > 1 }];
}
