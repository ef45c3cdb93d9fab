import { ABORT_GRACE_NS, issueQuery, type PhaseContext, whenDrained } from '../phase.js';

/**
 * Offline: every sample in one query, issued at t0; each sample's latency counts from t0.
 * A long Offline query is expected, so the timeout applies to progress, not to the query's
 * age: if no sample settles for `queryTimeoutNs`, the rest are declared missing.
 */
export function runOffline(ctx: PhaseContext, indices: Int32Array): Promise<{ startNs: number }> {
  const { clock, recorder, signal } = ctx;
  const startNs = clock.nowNs();
  const queryId = recorder.addQuery(startNs, indices.length);
  let handle = -1;
  const settled = (): number => recorder.completedSamples + recorder.failedSamples + recorder.missingSamples;
  let lastSettled = -1;
  const periodNs = Math.max(1_000_000, Math.min(ctx.queryTimeoutNs / 4, 250_000_000));
  let lastProgressNs = startNs;
  const watch = (): void => {
    const now = clock.nowNs();
    const current = settled();
    if (current !== lastSettled) {
      lastSettled = current;
      lastProgressNs = now;
    } else if (now - lastProgressNs > ctx.queryTimeoutNs) {
      recorder.expireAll();
      return;
    }
    handle = clock.at(now + periodNs, watch);
  };
  const onAbort = (): void => {
    clock.at(clock.nowNs() + Math.min(ABORT_GRACE_NS, ctx.queryTimeoutNs), () => recorder.expireAll());
  };
  signal.addEventListener('abort', onAbort);
  const drained = whenDrained(ctx, (listener) => recorder.onQueryDone(listener));
  issueQuery(ctx, queryId, indices);
  ctx.sut.flushQueries();
  handle = clock.at(clock.nowNs() + periodNs, watch);
  return drained.then(() => {
    clock.cancel(handle);
    signal.removeEventListener('abort', onAbort);
    return { startNs };
  });
}
