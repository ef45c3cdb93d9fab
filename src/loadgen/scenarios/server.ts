import { minUnderLatencyQueries } from '../early-stopping.js';
import { ABORT_GRACE_NS, issueQuery, type PhaseContext, startWatchdog, whenDrained } from '../phase.js';
import type { ArrivalSchedule, SampleIndexStream } from '../plan.js';
import { COMPLETED } from '../recorder.js';

export interface ServerPlan {
  readonly schedule: ArrivalSchedule;
  readonly samples: SampleIndexStream;
  /** Arrivals planned before the clock starts: enough for the minimums. */
  readonly initialQueryCount: number;
  readonly maxDurationNs: number;
  /** 0 = none. */
  readonly maxQueryCount: number;
  readonly latencyBoundNs: number;
  /** Token runs: whether a completed sample is over a bound (TTFT or TPOT), in place of latencyBoundNs. */
  readonly overTokenBound?: (sampleId: number, queryId: number) => boolean;
  /** As a fraction (0.99). */
  readonly percentile: number;
  readonly confidence: number;
}

export interface ServerOutcome {
  readonly startNs: number;
  /** Times the plan was extended so early stopping could hold. */
  readonly extensions: number;
  /** Why issuing stopped before the plan's end, if it did. */
  readonly stoppedEarly: string | null;
}

/** Check whether to extend when this fraction of the plan has been issued. */
const EXTEND_CHECK_AT = 0.9;
const MAX_EXTENSIONS = 4;
/**
 * Settled queries the over-bound tally takes in after each issue. Scanning all 90,000 settled
 * queries of a 10 s run at 10,000 QPS at once, at the extension check, stalled the issue path
 * for up to 5 ms; a few per issue keep the tally current (more than one, so it catches up
 * after a burst of completions) at a cost of nanoseconds.
 */
const TALLY_STEP = 4;

/**
 * Server: open loop. Every arrival time is fixed before the clock starts; each query is
 * issued at its time (or as soon after as the issue path manages) and its latency counts from
 * the scheduled time, so any lag of the load generator or the SUT's issue path is charged to
 * latency: no coordinated omission. Issue delay (actual minus scheduled) is recorded apart.
 */
export function runServer(ctx: PhaseContext, plan: ServerPlan): Promise<ServerOutcome> {
  const { clock, recorder, signal } = ctx;
  plan.schedule.extendTo(plan.initialQueryCount, plan.maxDurationNs);
  recorder.reserve(plan.schedule.length, 1);
  const startNs = clock.nowNs();
  let planned = plan.schedule.length;
  let next = 0;
  let extensions = 0;
  let nextExtendCheck = Math.floor(planned * EXTEND_CHECK_AT);
  let stoppedEarly: string | null = null;
  const overBound: OverBoundTally = { scanned: 0, over: 0 };
  const stopWatchdog = startWatchdog(ctx);
  clock.setSyncWaitAllowed(() => recorder.outstandingSamples === 0);

  return new Promise((resolve) => {
    let doneIssuing = false;
    const finishIssuing = (): void => {
      if (doneIssuing) return;
      doneIssuing = true;
      clock.setSyncWaitAllowed(null);
      void whenDrained(ctx, (listener) => recorder.onQueryDone(listener)).then(() => {
        stopWatchdog();
        signal.removeEventListener('abort', onAbort);
        resolve({ startNs, extensions, stoppedEarly });
      });
    };

    const tick = (): void => {
      let now = clock.nowNs();
      while (next < planned && startNs + plan.schedule.offsetNs(next) <= now) {
        if (signal.aborted) {
          finishIssuing();
          return;
        }
        if (plan.maxQueryCount > 0 && next >= plan.maxQueryCount) {
          stoppedEarly = `max query count ${plan.maxQueryCount} reached`;
          finishIssuing();
          return;
        }
        if (now - startNs > plan.maxDurationNs) {
          stoppedEarly = `max duration ${plan.maxDurationNs / 1e6} ms reached while issuing (the issue path fell behind)`;
          finishIssuing();
          return;
        }
        const queryId = recorder.addQuery(startNs + plan.schedule.offsetNs(next), 1);
        issueQuery(ctx, queryId, plan.samples.next());
        next++;
        if (nextExtendCheck !== Number.POSITIVE_INFINITY) tallySettled(recorder, plan, overBound, TALLY_STEP);
        if (next >= nextExtendCheck && extensions < MAX_EXTENSIONS) {
          const more = queriesStillNeeded(ctx, plan, planned, overBound);
          nextExtendCheck = Number.POSITIVE_INFINITY;
          if (more > 0) {
            plan.schedule.extendTo(planned + more, plan.maxDurationNs);
            if (plan.schedule.length > planned) extensions++;
            planned = plan.schedule.length;
            recorder.reserve(planned, 1);
            nextExtendCheck = Math.floor(planned * EXTEND_CHECK_AT);
          }
        }
        now = clock.nowNs();
      }
      if (next >= planned) finishIssuing();
      else clock.at(startNs + plan.schedule.offsetNs(next), tick);
    };

    function onAbort(): void {
      finishIssuing();
      const graceNs = Math.min(ABORT_GRACE_NS, ctx.queryTimeoutNs);
      clock.at(clock.nowNs() + graceNs, () => recorder.expireAll());
    }
    signal.addEventListener('abort', onAbort);
    clock.at(startNs, tick);
  });
}

/** Over-bound count over the settled prefix of the queries, kept between checks. */
interface OverBoundTally {
  scanned: number;
  over: number;
}

/** Takes in up to `budget` more settled queries, in order; stops at the first unsettled one. */
function tallySettled(recorder: PhaseContext['recorder'], plan: ServerPlan, tally: OverBoundTally, budget: number): void {
  const end = Math.min(recorder.queryCount, tally.scanned + budget);
  while (tally.scanned < end && recorder.isQueryDone(tally.scanned)) {
    const q = tally.scanned++;
    const s = recorder.firstSampleOf(q);
    const ok = recorder.sampleStatus.get(s) === COMPLETED;
    const over = plan.overTokenBound ? plan.overTokenBound(s, q) : recorder.sampleCompletedNs.get(s) - recorder.queryScheduledNs.get(q) > plan.latencyBoundNs;
    if (!ok || over) tally.over++;
  }
}

/**
 * Projects the over-bound rate seen so far onto the whole plan and returns how many more
 * queries early stopping would need. 0 when the plan suffices, or when no length could pass
 * (the over-bound rate already exceeds 1 - percentile: more queries would not help). It runs
 * inside the issue loop; the issue loop keeps the tally current, so this only takes in the
 * few queries settled since.
 */
function queriesStillNeeded(ctx: PhaseContext, plan: ServerPlan, planned: number, tally: OverBoundTally): number {
  tallySettled(ctx.recorder, plan, tally, Number.POSITIVE_INFINITY);
  const settled = tally.scanned;
  if (settled === 0) return 0;
  const overRate = tally.over / settled;
  if (overRate >= 1 - plan.percentile) return 0;
  let total = planned;
  for (let i = 0; i < 64; i++) {
    const projectedOver = Math.ceil(overRate * total);
    const needed = minUnderLatencyQueries(projectedOver, plan.percentile, plan.confidence) + projectedOver;
    if (needed <= total) break;
    total = Math.ceil(needed * 1.05);
  }
  return total - planned;
}
