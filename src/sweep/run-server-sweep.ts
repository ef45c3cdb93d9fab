import { bracketPercent, findPeak, type ProbeOutcome, roundQps } from './find-peak.js';
import type { SweepRunner } from './runner.js';
import type { SweepPeak, SweepPoint } from './types.js';

export type ServerSweepPlan =
  | { readonly method: 'list'; readonly rates: readonly number[] }
  | {
      readonly method: 'find-peak';
      /** null: calibrated, as `mlbench run` picks a rate. */
      readonly startQps: number | null;
      readonly precisionPercent: number;
      readonly maxProbes: number;
      /** Confirmations after the first that step down one precision step each. */
      readonly confirmRetries: number;
    };

export interface SweepOutcome {
  readonly points: readonly SweepPoint[];
  readonly peak: SweepPeak | null;
  readonly notes: readonly string[];
  readonly interrupted: boolean;
}

/** Halving never probes below this rate. */
const MIN_QPS = 0.01;

/** A confirmation that completed less than this share of the offered rate was overloaded. */
const OVERLOAD_RATIO = 0.95;

/**
 * Runs a Server sweep: every listed rate, or the peak search followed by full-length
 * confirmation runs. `onPoint` sees each point as it is measured (progress, partial output).
 */
export async function runServerSweep(
  runner: SweepRunner,
  plan: ServerSweepPlan,
  signal: AbortSignal,
  onPoint: (point: SweepPoint) => void = () => {},
): Promise<SweepOutcome> {
  const points: SweepPoint[] = [];
  const notes: string[] = [];
  const measure = async (kind: SweepPoint['kind'], qps: number): Promise<SweepPoint> => {
    const point = await runner.measure(kind, qps);
    points.push(point);
    onPoint(point);
    return point;
  };
  const interrupted = (): SweepOutcome => {
    notes.push(`interrupted after ${points.length} runs: the points so far are written, the last may be partial`);
    return { points, peak: null, notes, interrupted: true };
  };

  if (plan.method === 'list') {
    for (const qps of plan.rates) {
      if (signal.aborted) return interrupted();
      await measure('point', qps);
    }
    return signal.aborted ? interrupted() : { points, peak: null, notes, interrupted: false };
  }

  let startQps = plan.startQps;
  if (startQps === null) {
    const calibrated = await runner.calibrateQps();
    startQps = calibrated.qps;
    notes.push(calibrated.note);
  }
  if (signal.aborted) return interrupted();
  const search = await findPeak(
    async (qps): Promise<ProbeOutcome> => {
      const point = await measure('probe', qps);
      return { qps, meetsBound: point.meetsBound === true, trusted: !point.loadgenBottleneck, completedQps: point.completedQps };
    },
    { startQps, precisionPercent: plan.precisionPercent, maxProbes: plan.maxProbes, minQps: MIN_QPS, shouldStop: () => signal.aborted },
  );
  notes.push(...search.notes);
  if (signal.aborted) return interrupted();
  if (search.peakQps === null) {
    notes.push('no peak: no probed rate met the latency bound');
    return { points, peak: null, notes, interrupted: false };
  }
  notes.push(
    `search ${search.stop}: ${search.peakQps} QPS met the bound${search.failingQps === null ? '' : `, ${search.failingQps} QPS did not`} after ${search.probes.length} probes`,
  );

  // A short probe at the edge can pass by luck: the peak counts only once a full-length run
  // at that rate is VALID (early stopping included). Each failure steps down one precision step,
  // or, when the run could not even keep up with the offered rate, to just under the rate it
  // did complete: a system that served 12k/s cannot be confirmed at 16k/s.
  let qps = search.peakQps;
  let failingQps = search.failingQps;
  for (let attempt = 0; attempt <= plan.confirmRetries; attempt++) {
    const confirmation = await measure('confirmation', qps);
    if (signal.aborted) return interrupted();
    if (confirmation.valid === true) {
      const peak: SweepPeak = {
        qps,
        confirmation: { runId: confirmation.runId ?? '', valid: true, resultDir: confirmation.resultDir ?? '' },
        precisionPercent: failingQps === null ? plan.precisionPercent : Math.round(bracketPercent(qps, failingQps) * 100) / 100,
        failingQps,
      };
      return { points, peak, notes, interrupted: false };
    }
    const oneStep = qps * (1 - plan.precisionPercent / 100);
    const keptUp = confirmation.completedQps >= OVERLOAD_RATIO * qps;
    const next = roundQps(keptUp ? oneStep : Math.min(oneStep, confirmation.completedQps * (1 - plan.precisionPercent / 100)));
    const how = keptUp ? 'stepping down one precision step' : `it completed only ${confirmation.completedQps.toFixed(0)}/s: stepping down below that`;
    notes.push(`confirmation at ${qps} QPS was INVALID${attempt < plan.confirmRetries ? `: ${how}, to ${next} QPS` : ''}`);
    failingQps = qps;
    qps = next;
  }
  notes.push(`no peak: ${plan.confirmRetries + 1} confirmation runs were INVALID (see their result folders)`);
  return { points, peak: null, notes, interrupted: false };
}
