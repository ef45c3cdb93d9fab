import { readFileSync } from 'node:fs';
import { watchGcDurations } from './gc.js';

/**
 * What took the main thread (which issues queries and records completions) away from the run
 * during the measured window. Issue delay and latency tails come from these, not from the
 * load generator's code, and a run says so with numbers instead of leaving users to guess.
 */
export interface MainThreadStats {
  /** V8's garbage-collection pauses (perf_hooks 'gc' entries). */
  readonly gcPauses: { readonly count: number; readonly totalMs: number; readonly maxMs: number };
  /**
   * The kernel's view (Linux, /proc/thread-self): time the thread was ready to run but waited
   * for a CPU, and how often another task took its CPU. Null where that is not readable.
   */
  readonly cpuWait: { readonly runQueueWaitMs: number; readonly involuntarySwitches: number } | null;
}

interface CpuWaitReading {
  readonly waitNs: number;
  readonly involuntarySwitches: number;
}

/** /proc/thread-self/schedstat: "run ns, wait-on-runqueue ns, timeslices"; null off Linux. */
function readCpuWait(): CpuWaitReading | null {
  try {
    const waitNs = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]);
    const status = readFileSync('/proc/thread-self/status', 'utf8');
    const involuntarySwitches = Number(/^nonvoluntary_ctxt_switches:\s*(\d+)/m.exec(status)?.[1]);
    return Number.isFinite(waitNs) && Number.isFinite(involuntarySwitches) ? { waitNs, involuntarySwitches } : null;
  } catch {
    return null;
  }
}

/** Count, total and longest of a list of pause durations (ms). */
export function summarizePauses(durationsMs: readonly number[]): MainThreadStats['gcPauses'] {
  let totalMs = 0;
  let maxMs = 0;
  for (const d of durationsMs) {
    totalMs += d;
    maxMs = Math.max(maxMs, d);
  }
  return { count: durationsMs.length, totalMs, maxMs };
}

/** Starts watching; the returned function stops and summarizes. Call both on the main thread. */
export function watchMainThread(): () => Promise<MainThreadStats> {
  const before = readCpuWait();
  const stopGc = watchGcDurations();
  return async () => {
    const after = readCpuWait();
    const gcPauses = summarizePauses(await stopGc());
    const cpuWait =
      before === null || after === null
        ? null
        : { runQueueWaitMs: (after.waitNs - before.waitNs) / 1e6, involuntarySwitches: after.involuntarySwitches - before.involuntarySwitches };
    return { gcPauses, cpuWait };
  };
}
