import { PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as immediate } from 'node:timers/promises';

/**
 * Starts collecting the durations (ms) of V8's GC pauses on this thread; the returned function
 * stops and hands them over. Node queues GC entries to observers a turn later, so stopping waits
 * one event-loop turn and then takes what is still queued.
 */
export function watchGcDurations(): () => Promise<number[]> {
  const durationsMs: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) durationsMs.push(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  return async () => {
    await immediate();
    for (const entry of observer.takeRecords()) durationsMs.push(entry.duration);
    observer.disconnect();
    return durationsMs;
  };
}
