import type { Recorder } from './recorder.js';
import type { Clock, Query, SystemUnderTest } from './types.js';

/** What every scenario driver needs for one phase (warmup, measured window, accuracy chunk). */
export interface PhaseContext {
  readonly clock: Clock;
  readonly sut: SystemUnderTest;
  readonly recorder: Recorder;
  /** Set when the user interrupts: stop issuing, drain briefly, keep what was measured. */
  readonly signal: AbortSignal;
  /** A sample not answered this long after its query's issue is declared missing. */
  readonly queryTimeoutNs: number;
}

/** Issues one already-added query. A SUT that throws fails the query's samples; never rethrown. */
export function issueQuery(ctx: PhaseContext, queryId: number, sampleIndices: Int32Array): void {
  const { recorder, sut, clock } = ctx;
  const query: Query = {
    queryId,
    firstSampleId: recorder.firstSampleOf(queryId),
    count: sampleIndices.length,
    sampleIndices,
  };
  recorder.markIssued(queryId, clock.nowNs(), sampleIndices);
  try {
    sut.issueQuery(query, recorder);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    for (let i = 0; i < query.count; i++) recorder.fail(query.firstSampleId + i, failure);
  }
}

/**
 * Declares samples missing when their query has waited longer than the timeout, so a lost
 * response never hangs a run. Checks a few times per timeout period; stop() ends it.
 */
export function startWatchdog(ctx: PhaseContext): () => void {
  const { clock, recorder, queryTimeoutNs } = ctx;
  const periodNs = Math.max(1_000_000, Math.min(queryTimeoutNs / 4, 250_000_000));
  let oldest = 0;
  let handle = -1;
  const check = (): void => {
    while (oldest < recorder.queryCount && recorder.isQueryDone(oldest)) oldest++;
    recorder.expireIssuedBefore(clock.nowNs() - queryTimeoutNs, oldest);
    handle = clock.at(clock.nowNs() + periodNs, check);
  };
  handle = clock.at(clock.nowNs() + periodNs, check);
  return () => clock.cancel(handle);
}

/** Resolves when every issued sample is settled (completed, failed or missing). */
export function whenDrained(ctx: PhaseContext, listenForQueryDone: (listener: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (ctx.recorder.outstandingSamples !== 0) return;
      // Let go of the listener (and whatever plan its closure holds) once drained.
      listenForQueryDone(() => {});
      resolve();
    };
    listenForQueryDone(check);
    check();
  });
}

/**
 * After an interrupt, outstanding samples get a short grace period, then are declared missing:
 * Ctrl-C must end the run promptly without losing what already completed.
 */
export const ABORT_GRACE_NS = 2_000_000_000;
