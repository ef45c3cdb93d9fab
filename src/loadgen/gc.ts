import { type PerformanceEntry, PerformanceObserver, performance } from 'node:perf_hooks';
import { setImmediate as immediate } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Starts collecting the durations (ms) of V8's GC pauses on this thread; the returned function
 * stops and hands them over. Node queues GC entries to observers a turn later, so stopping waits
 * one event-loop turn and then takes what is still queued; and a collection that began before
 * the watch (a forced one just before a measured window) still arrives after it starts, so
 * entries are kept by their start time.
 */
export function watchGcDurations(): () => Promise<number[]> {
  const startedAt = performance.now();
  const durationsMs: number[] = [];
  const keep = (list: readonly PerformanceEntry[]): void => {
    for (const entry of list) if (entry.startTime >= startedAt) durationsMs.push(entry.duration);
  };
  const observer = new PerformanceObserver((list) => keep(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return async () => {
    await immediate();
    keep(observer.takeRecords());
    observer.disconnect();
    return durationsMs;
  };
}

export type ForceGc = () => void;

/** The function found once per process (or null): each lookup otherwise built a fresh VM context. */
let found: ForceGc | null | undefined;

/**
 * A full collection: before a run's measured window, and for the benches' heap measurements.
 * `node --expose-gc` gives `globalThis.gc` (the bench entry re-spawns itself with it); elsewhere
 * (the CLI, in-process tests) V8's flag is set at run time and a fresh context picks the
 * function up. Null when neither works.
 */
export function obtainGc(): ForceGc | null {
  if (found === undefined) found = lookUpGc();
  return found;
}

function lookUpGc(): ForceGc | null {
  const exposed = globalThis.gc;
  if (typeof exposed === 'function') return () => void exposed();
  try {
    setFlagsFromString('--expose-gc');
    const fn: unknown = runInNewContext('gc');
    if (typeof fn === 'function') return () => void (fn as () => unknown)();
  } catch {
    // Some embedders forbid flag changes: measure without a forced collection.
  }
  return null;
}
