import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { watchGcDurations } from '../loadgen/gc-watch.js';
import { summarizePauses } from '../loadgen/main-thread-watch.js';

export type ForceGc = () => void;

/**
 * A full collection, for heap measurements. `node --expose-gc` gives `globalThis.gc` (the bench
 * entry re-spawns itself with it); elsewhere (in-process tests) V8's flag is set at run time
 * and a fresh context picks the function up. Null when neither works.
 */
export function obtainGc(): ForceGc | null {
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
