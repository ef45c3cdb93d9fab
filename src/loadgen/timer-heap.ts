/**
 * A binary min-heap of timers keyed by (atNs, insertion order), so timers due at the same
 * time fire in the order they were set. Cancelled timers are dropped lazily when popped.
 */
export class TimerHeap {
  #atNs: number[] = [];
  #seq: number[] = [];
  #fns: (() => void)[] = [];
  #nextSeq = 1;
  /** Cancelled timers still in the heap; dropped when they reach the top. */
  #cancelled = new Set<number>();
  /** Timers in the heap and not cancelled: cancel() checks here instead of scanning. */
  #live = new Set<number>();

  get size(): number {
    return this.#live.size;
  }

  push(atNs: number, fn: () => void): number {
    const seq = this.#nextSeq++;
    this.#atNs.push(atNs);
    this.#seq.push(seq);
    this.#fns.push(fn);
    this.#live.add(seq);
    this.#siftUp(this.#atNs.length - 1);
    return seq;
  }

  cancel(seq: number): void {
    if (this.#live.delete(seq)) this.#cancelled.add(seq);
  }

  /** Earliest live deadline, or Infinity when empty. */
  peekNs(): number {
    this.#dropCancelled();
    return this.#atNs.length > 0 ? this.#atNs[0]! : Number.POSITIVE_INFINITY;
  }

  /** Removes and returns the earliest live timer's callback. */
  pop(): (() => void) | undefined {
    this.#dropCancelled();
    if (this.#atNs.length === 0) return undefined;
    const fn = this.#fns[0]!;
    this.#live.delete(this.#seq[0]!);
    this.#removeTop();
    return fn;
  }

  #dropCancelled(): void {
    while (this.#atNs.length > 0 && this.#cancelled.has(this.#seq[0]!)) {
      this.#cancelled.delete(this.#seq[0]!);
      this.#removeTop();
    }
  }

  #removeTop(): void {
    const last = this.#atNs.length - 1;
    this.#swap(0, last);
    this.#atNs.pop();
    this.#seq.pop();
    this.#fns.pop();
    if (this.#atNs.length > 0) this.#siftDown(0);
  }

  #less(i: number, j: number): boolean {
    const a = this.#atNs[i]!;
    const b = this.#atNs[j]!;
    return a < b || (a === b && this.#seq[i]! < this.#seq[j]!);
  }

  #swap(i: number, j: number): void {
    // Plain temporaries: destructuring swaps may allocate on this hot path.
    const at = this.#atNs[i]!;
    this.#atNs[i] = this.#atNs[j]!;
    this.#atNs[j] = at;
    const seq = this.#seq[i]!;
    this.#seq[i] = this.#seq[j]!;
    this.#seq[j] = seq;
    const fn = this.#fns[i]!;
    this.#fns[i] = this.#fns[j]!;
    this.#fns[j] = fn;
  }

  #siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #siftDown(i: number): void {
    const n = this.#atNs.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < n && this.#less(l, smallest)) smallest = l;
      if (r < n && this.#less(r, smallest)) smallest = r;
      if (smallest === i) return;
      this.#swap(i, smallest);
      i = smallest;
    }
  }
}
