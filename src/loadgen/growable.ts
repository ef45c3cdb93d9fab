/**
 * Typed arrays that double when full, so recording never allocates per item. Three small
 * classes rather than one generic: each keeps its element accesses monomorphic, and these
 * accesses are the recorder's hot path (millions per second).
 */
const PAGE_BYTES = 4096;

/**
 * Writes one element per page from `from` on, so the OS commits the pages now. A reserved
 * array otherwise grows resident memory page by page as the run writes into it (41 B per
 * Server query), which looks like a leak in a soak and puts page faults on the issue path.
 */
function commitPages(array: Float64Array | Int32Array | Uint8Array, from: number): void {
  const step = Math.max(1, PAGE_BYTES / array.BYTES_PER_ELEMENT);
  for (let i = from; i < array.length; i += step) array[i] = 0;
}

export class GrowableFloat64 {
  #data: Float64Array;
  #length = 0;

  constructor(initialCapacity = 1024) {
    this.#data = new Float64Array(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.#length;
  }

  /** The live contents (a view: valid until the next push that grows). */
  view(): Float64Array {
    return this.#data.subarray(0, this.#length);
  }

  /** Drops the spare capacity (at the end of a phase, so a kept result holds no slack). */
  trim(): void {
    if (this.#data.length > this.#length) this.#data = this.#data.slice(0, Math.max(16, this.#length));
  }

  /** Makes room for `capacity` items at once, when the final size is known (no doubling slack). */
  reserve(capacity: number): void {
    if (capacity <= this.#data.length) return;
    const next = new Float64Array(capacity);
    next.set(this.#data.subarray(0, this.#length));
    commitPages(next, this.#length);
    this.#data = next;
  }

  get(i: number): number {
    return this.#data[i]!;
  }

  set(i: number, value: number): void {
    this.#data[i] = value;
  }

  push(value: number): void {
    if (this.#length === this.#data.length) this.#grow(this.#length + 1);
    this.#data[this.#length++] = value;
  }

  /** Extends the length to `length`, new slots filled with `fill`. */
  resize(length: number, fill = 0): void {
    if (length > this.#data.length) this.#grow(length);
    if (length > this.#length) this.#data.fill(fill, this.#length, length);
    this.#length = length;
  }

  #grow(minCapacity: number): void {
    let capacity = this.#data.length * 2;
    while (capacity < minCapacity) capacity *= 2;
    const next = new Float64Array(capacity);
    next.set(this.#data.subarray(0, this.#length));
    this.#data = next;
  }
}

export class GrowableInt32 {
  #data: Int32Array;
  #length = 0;

  constructor(initialCapacity = 1024) {
    this.#data = new Int32Array(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.#length;
  }

  view(): Int32Array {
    return this.#data.subarray(0, this.#length);
  }

  trim(): void {
    if (this.#data.length > this.#length) this.#data = this.#data.slice(0, Math.max(16, this.#length));
  }

  reserve(capacity: number): void {
    if (capacity <= this.#data.length) return;
    const next = new Int32Array(capacity);
    next.set(this.#data.subarray(0, this.#length));
    commitPages(next, this.#length);
    this.#data = next;
  }

  get(i: number): number {
    return this.#data[i]!;
  }

  set(i: number, value: number): void {
    this.#data[i] = value;
  }

  push(value: number): void {
    if (this.#length === this.#data.length) this.#grow(this.#length + 1);
    this.#data[this.#length++] = value;
  }

  #grow(minCapacity: number): void {
    let capacity = this.#data.length * 2;
    while (capacity < minCapacity) capacity *= 2;
    const next = new Int32Array(capacity);
    next.set(this.#data.subarray(0, this.#length));
    this.#data = next;
  }
}

export class GrowableUint8 {
  #data: Uint8Array;
  #length = 0;

  constructor(initialCapacity = 1024) {
    this.#data = new Uint8Array(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.#length;
  }

  view(): Uint8Array {
    return this.#data.subarray(0, this.#length);
  }

  trim(): void {
    if (this.#data.length > this.#length) this.#data = this.#data.slice(0, Math.max(16, this.#length));
  }

  reserve(capacity: number): void {
    if (capacity <= this.#data.length) return;
    const next = new Uint8Array(capacity);
    next.set(this.#data.subarray(0, this.#length));
    commitPages(next, this.#length);
    this.#data = next;
  }

  get(i: number): number {
    return this.#data[i]!;
  }

  set(i: number, value: number): void {
    this.#data[i] = value;
  }

  resize(length: number): void {
    if (length > this.#data.length) {
      let capacity = this.#data.length * 2;
      while (capacity < length) capacity *= 2;
      const next = new Uint8Array(capacity);
      next.set(this.#data.subarray(0, this.#length));
      this.#data = next;
    }
    if (length > this.#length) this.#data.fill(0, this.#length, length);
    this.#length = length;
  }
}
