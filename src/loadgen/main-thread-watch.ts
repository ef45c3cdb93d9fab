import { readFileSync } from 'node:fs';
import { watchGcDurations } from './gc.js';
import { LOADGEN_BOTTLENECK_SHARE } from './summarize.js';

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

/** Run-queue wait worth naming: this share of the window, and at least this long. */
const CPU_WAIT_SHARE = 0.01;
const CPU_WAIT_MIN_MS = 5;

/**
 * Why the issuing thread may have fallen behind, from what took it away during the window: said
 * when a run's issue delay made the load generator the bottleneck, so the user knows whether to
 * look at other processes (CPU wait) or at the harness's own pauses (GC).
 */
export function bottleneckCauses(m: MainThreadStats, windowNs: number, latencyBoundNs: number | null): string[] {
  const causes: string[] = [];
  const waitMs = m.cpuWait?.runQueueWaitMs ?? 0;
  if (m.cpuWait !== null && waitMs >= CPU_WAIT_MIN_MS && waitMs * 1e6 >= CPU_WAIT_SHARE * windowNs) {
    causes.push(
      `during the window the main thread waited ${waitMs.toFixed(1)} ms for a CPU (${m.cpuWait.involuntarySwitches} preemptions): other processes or threads took it; give the load generator cores of its own (e.g. taskset -c 0 mlbench ..., with a server on this machine pinned to other cores)`,
    );
  }
  if (latencyBoundNs !== null && m.gcPauses.maxMs * 1e6 > LOADGEN_BOTTLENECK_SHARE * latencyBoundNs) {
    causes.push(
      `garbage collection paused the main thread ${m.gcPauses.count} times during the window (${m.gcPauses.totalMs.toFixed(1)} ms in all, longest ${m.gcPauses.maxMs.toFixed(2)} ms)`,
    );
  }
  return causes;
}
