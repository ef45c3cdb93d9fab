import { ABORT_GRACE_NS, issueQuery, type PhaseContext, startWatchdog } from '../phase.js';

export interface ConcurrencyOutcome {
  readonly startNs: number;
  /** When the last query settled: the window completed throughput is measured over. */
  readonly endNs: number;
}

/**
 * Closed loop with `inFlight` single-sample queries outstanding: each completion issues the
 * next until `durationNs` has passed, then the loop drains. Latency counts from each query's
 * issue (a closed loop has no schedule), so this traces throughput against concurrency, not
 * an SLO verdict.
 */
export function runConcurrency(ctx: PhaseContext, nextQuery: () => Int32Array, inFlight: number, durationNs: number): Promise<ConcurrencyOutcome> {
  const { clock, recorder, signal } = ctx;
  const startNs = clock.nowNs();
  const stopWatchdog = startWatchdog(ctx);
  return new Promise((resolve) => {
    let stopping = false;
    let graceHandle = -1;
    const issueOne = (): void => {
      const indices = nextQuery();
      issueQuery(ctx, recorder.addQuery(clock.nowNs(), indices.length), indices);
    };
    const finish = (): void => {
      stopWatchdog();
      if (graceHandle >= 0) clock.cancel(graceHandle);
      recorder.onQueryDone(() => {});
      resolve({ startNs, endNs: clock.nowNs() });
    };
    recorder.onQueryDone(() => {
      const now = clock.nowNs();
      if (now - startNs >= durationNs || signal.aborted) stopping = true;
      // A timer, not a direct call: a SUT that completes inline must not recurse.
      if (!stopping) clock.at(now, issueOne);
      else if (recorder.outstandingSamples === 0) finish();
    });
    signal.addEventListener('abort', () => {
      stopping = true;
      const graceNs = Math.min(ABORT_GRACE_NS, ctx.queryTimeoutNs);
      graceHandle = clock.at(clock.nowNs() + graceNs, () => recorder.expireAll());
    });
    for (let i = 0; i < inFlight; i++) issueOne();
  });
}
