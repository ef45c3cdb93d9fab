import { ABORT_GRACE_NS, issueQuery, type PhaseContext, startWatchdog } from '../phase.js';

/** When a closed loop stops issuing: asked with the count issued and the last issue time. */
export type ContinueRule = (issuedQueries: number, elapsedSinceStartNs: number) => boolean;

/** Yield to the event loop at least this often when the SUT completes inline. */
const MAX_SLICE_NS = 2_000_000;

/**
 * SingleStream and MultiStream (and warmup, and accuracy mode): issue a query, wait for it to
 * finish, issue the next at once. The latency origin is each query's own issue time, so the
 * time between queries is not latency (LoadGen semantics); it shows as loadgen overhead.
 */
export function runClosedLoop(
  ctx: PhaseContext,
  nextQuery: () => Int32Array,
  shouldContinue: ContinueRule,
): Promise<{ startNs: number }> {
  const { clock, recorder, signal } = ctx;
  const startNs = clock.nowNs();
  return new Promise((resolve) => {
    let previousDone = true;
    let pumping = false;
    /** When the loop last ran from a timer, i.e. last let the event loop turn. */
    let lastYieldNs = startNs;
    let finished = false;
    const stopWatchdog = startWatchdog(ctx);

    const finish = (): void => {
      if (finished) return;
      finished = true;
      stopWatchdog();
      recorder.onQueryDone(() => {});
      signal.removeEventListener('abort', onAbort);
      resolve({ startNs });
    };

    const pump = (): void => {
      pumping = true;
      const sliceStart = clock.nowNs();
      while (previousDone && !finished) {
        const issued = recorder.queryCount;
        const lastIssue = issued > 0 ? recorder.queryIssuedNs.get(issued - 1) : startNs;
        if (signal.aborted || !shouldContinue(issued, lastIssue - startNs)) {
          finish();
          break;
        }
        if (clock.nowNs() - sliceStart > MAX_SLICE_NS) {
          clock.at(clock.nowNs(), pumpFromTimer);
          break;
        }
        previousDone = false;
        const indices = nextQuery();
        const queryId = recorder.addQuery(clock.nowNs(), indices.length);
        issueQuery(ctx, queryId, indices);
      }
      pumping = false;
    };

    const pumpFromTimer = (): void => {
      lastYieldNs = clock.nowNs();
      pump();
    };
    recorder.onQueryDone(() => {
      previousDone = true;
      if (pumping || finished) return;
      // A microtask, not a timer: the next query goes out as soon as this completion's
      // bookkeeping is done, without an event-loop turn in between. Every few ms a timer
      // instead, so a SUT that completes through resolved promises cannot starve the event
      // loop (signals, the watchdog, detail flushes).
      if (clock.nowNs() - lastYieldNs > MAX_SLICE_NS) clock.at(clock.nowNs(), pumpFromTimer);
      else queueMicrotask(pump);
    });
    const onAbort = (): void => {
      // The one outstanding query gets the grace period; the loop then ends.
      const graceNs = Math.min(ABORT_GRACE_NS, ctx.queryTimeoutNs);
      if (!previousDone) clock.at(clock.nowNs() + graceNs, () => recorder.expireAll());
    };
    signal.addEventListener('abort', onAbort);
    pump();
  });
}
