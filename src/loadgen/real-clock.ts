import { performance } from 'node:perf_hooks';
import { TimerHeap } from './timer-heap.js';
import type { Clock } from './types.js';

export interface RealClockOptions {
  /**
   * How long before a deadline the clock stops sleeping in setTimeout (millisecond-grained and
   * often a millisecond late) and spins on setImmediate, checking the time every event-loop
   * turn. Larger: deadlines met within microseconds, at the cost of a busy core. The lateness
   * that remains is measured (issue delay), never hidden.
   */
  readonly spinWindowNs: number;
}

export const DEFAULT_SPIN_WINDOW_NS = 2_000_000;
/** Deadlines closer than this are met by a synchronous spin, without yielding the thread. */
const SYNC_SPIN_NS = 20_000;

/**
 * Bounds of one step of arithmetic between clock reads: a few ns to about 0.3 ms at the 1 ns
 * an optimized iteration takes (a cap of 4,096 made a 100 µs wait take two dozen reads).
 */
const MIN_STEP_ITERATIONS = 16;
const MAX_STEP_ITERATIONS = 262_144;
/**
 * How long one iteration of the step takes, learnt as the spin runs. Only steps long enough
 * that the clock read (about 40 ns) does not inflate the figure much teach it; a step the OS
 * preempted looks milliseconds long, so one observation may raise the estimate by at most half,
 * and it never exceeds what an interpreted loop takes. Without those bounds one preemption
 * could inflate it so far that every later step was too short to teach it again, and the spin
 * read the clock every few hundred ns for the rest of the run (the likely cause of a 10-minute
 * soak at 1,000 QPS whose heap turned over every few seconds instead of every minute from 255 s
 * on, with 25 MB more RSS). A slow step only shortens later steps: early is never the result.
 */
const LEARN_FROM_ITERATIONS = 256;
const MAX_RISE_PER_STEP = 1.5;
const MAX_NS_PER_ITERATION = 64;
let nsPerIteration = 5;

/** The estimate after a step of `iterations` that took `elapsedNs` (exported for its test). */
export function learnNsPerIteration(estimate: number, iterations: number, elapsedNs: number): number {
  if (iterations < LEARN_FROM_ITERATIONS) return estimate;
  const observed = Math.min(Math.max(0.05, elapsedNs / iterations), estimate * MAX_RISE_PER_STEP);
  return Math.min(MAX_NS_PER_ITERATION, 0.5 * estimate + 0.5 * observed);
}
let spinSink = 0;

/**
 * Waits for `deadlineNs` without yielding. Every clock read allocates in Node 20 (a boxed double
 * from performance.now(), about 30 bytes), and reading back to back, every 50 ns, made about
 * 400 MB/s of garbage: a young-generation collection every 40 ms at 10,000 QPS, each a pause on
 * the issue path. So between reads it does arithmetic that allocates nothing, for about half of
 * the time left: the steps halve towards the deadline, about a dozen reads for a 100 µs wait
 * (reading back to back in the last microsecond, as it did before, took 45 reads and made most
 * of the remaining garbage). The last step overshoots by at most its minimum, a few tens of ns.
 */
function spinUntil(deadlineNs: number, nowNs: number, clock: RealClock): number {
  let now = nowNs;
  while (now < deadlineNs) {
    const wanted = Math.floor((deadlineNs - now) / 2 / nsPerIteration);
    const iterations = Math.min(MAX_STEP_ITERATIONS, Math.max(MIN_STEP_ITERATIONS, wanted));
    let s = spinSink;
    for (let k = 0; k < iterations; k++) s = (s * 31 + k) | 0;
    spinSink = s;
    const after = clock.nowNs();
    nsPerIteration = learnNsPerIteration(nsPerIteration, iterations, after - now);
    now = after;
  }
  return now;
}

/** Monotonic wall time in integer ns, with timers precise to an event-loop turn. */
export class RealClock implements Clock {
  readonly #heap = new TimerHeap();
  readonly #spinWindowNs: number;
  #timeout: NodeJS.Timeout | null = null;
  #immediate: NodeJS.Immediate | null = null;
  #armedForNs = Number.POSITIVE_INFINITY;
  /** Inside a wake-up: timers set by callbacks are armed once, when the wake-up ends. */
  #waking = false;
  #syncWaitAllowed: (() => boolean) | null = null;

  constructor(options: Partial<RealClockOptions> = {}) {
    this.#spinWindowNs = options.spinWindowNs ?? DEFAULT_SPIN_WINDOW_NS;
  }

  nowNs(): number {
    return Math.round(performance.now() * 1e6);
  }

  at(atNs: number, fn: () => void): number {
    const handle = this.#heap.push(atNs, fn);
    if (!this.#waking && atNs < this.#armedForNs) this.#arm();
    return handle;
  }

  cancel(handle: number): void {
    this.#heap.cancel(handle);
  }

  setSyncWaitAllowed(predicate: (() => boolean) | null): void {
    this.#syncWaitAllowed = predicate;
  }

  blockFor(durationNs: number): void {
    const until = this.nowNs() + durationNs;
    while (this.nowNs() < until) {
      // A deliberate synchronous block: this is what a stalled issue path looks like.
    }
  }

  #arm(): void {
    const next = this.#heap.peekNs();
    this.#clearWakeups();
    this.#armedForNs = next;
    if (next === Number.POSITIVE_INFINITY) return;
    const waitNs = next - this.nowNs();
    if (waitNs > this.#spinWindowNs) {
      const sleepMs = Math.max(1, Math.floor((waitNs - this.#spinWindowNs) / 1e6));
      this.#timeout = setTimeout(this.#onWake, sleepMs);
    } else {
      this.#immediate = setImmediate(this.#onWake);
    }
  }

  #clearWakeups(): void {
    if (this.#timeout !== null) clearTimeout(this.#timeout);
    if (this.#immediate !== null) clearImmediate(this.#immediate);
    this.#timeout = null;
    this.#immediate = null;
  }

  readonly #onWake = (): void => {
    this.#timeout = null;
    this.#immediate = null;
    this.#armedForNs = Number.POSITIVE_INFINITY;
    this.#waking = true;
    try {
      let now = this.nowNs();
      for (;;) {
        const next = this.#heap.peekNs();
        // Wait here rather than in event-loop turns (each allocates, and at 10k QPS their
        // garbage makes GC pauses the main source of issue delay) when the deadline is a few
        // microseconds away, or when nothing is outstanding: then no response can be waiting
        // for the loop, and spinning delays nobody.
        const limitNs = this.#syncWaitAllowed?.() ? this.#spinWindowNs : Math.min(SYNC_SPIN_NS, this.#spinWindowNs);
        if (next > now && next - now < limitNs) now = spinUntil(next, now, this);
        if (next > now) break;
        this.#heap.pop()!();
        now = this.nowNs();
      }
    } finally {
      this.#waking = false;
    }
    this.#arm();
  };
}
