import { TimerHeap } from './timer-heap.js';
import type { Clock } from './types.js';

/**
 * Simulated time for exact tests: timers fire in deadline order and time jumps straight to
 * each deadline, so a fake SUT with known service times yields exact latencies. Between time
 * steps it yields to the real event loop, so promises and I/O in between still settle.
 */
export class VirtualClock implements Clock {
  readonly #heap = new TimerHeap();
  #nowNs: number;
  #running = false;

  constructor(startNs = 1_000_000_000) {
    this.#nowNs = startNs;
  }

  nowNs(): number {
    return this.#nowNs;
  }

  at(atNs: number, fn: () => void): number {
    const handle = this.#heap.push(Math.max(atNs, this.#nowNs), fn);
    this.#kick();
    return handle;
  }

  cancel(handle: number): void {
    this.#heap.cancel(handle);
  }

  /** Simulated time never waits. */
  setSyncWaitAllowed(): void {}

  /** A synchronous block simply moves simulated time forward. */
  blockFor(durationNs: number): void {
    this.#nowNs += durationNs;
  }

  #kick(): void {
    if (this.#running) return;
    this.#running = true;
    setImmediate(this.#drain);
  }

  readonly #drain = (): void => {
    // Fire everything due at the earliest deadline, then yield so microtasks and I/O settle.
    const next = this.#heap.peekNs();
    if (next === Number.POSITIVE_INFINITY) {
      this.#running = false;
      return;
    }
    if (next > this.#nowNs) this.#nowNs = next;
    while (this.#heap.peekNs() <= this.#nowNs) this.#heap.pop()!();
    setImmediate(this.#drain);
  };
}
