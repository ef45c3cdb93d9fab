import { watchGcDurations } from '../loadgen/gc.js';
import { summarizePauses } from '../loadgen/main-thread-watch.js';

/** GC pauses seen while a measurement ran (from perf_hooks 'gc' entries). */
export interface GcPauses {
  readonly count: number;
  readonly totalMs: number;
  readonly maxMs: number;
  /** Pauses long enough on their own to push an issue past a 100 µs target. */
  readonly over100UsCount: number;
  readonly over100UsTotalMs: number;
}

/** Starts recording GC pauses; the returned function stops and summarizes. */
export function watchGcPauses(): () => Promise<GcPauses> {
  const stop = watchGcDurations();
  return async () => {
    const durationsMs = await stop();
    const long = durationsMs.filter((d) => d > 0.1);
    return { ...summarizePauses(durationsMs), over100UsCount: long.length, over100UsTotalMs: summarizePauses(long).totalMs };
  };
}
