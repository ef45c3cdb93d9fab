/** Bytes of idle buffers kept at most; a buffer given back beyond it is left to the collector. */
const POOL_BUDGET_BYTES = 64 * 1024 * 1024;

/**
 * Large buffers reused by byte length: request bodies in the client and the server, batches
 * stacked for onnxruntime. A batch's worth is large (32 images of the built-in workload are
 * 393 KB), and V8 counts every new buffer toward its next full collection: at tens of thousands
 * of samples per second, fresh buffers made a full collection every few tens of milliseconds,
 * and the HTTP client spent a fifth of its main thread collecting. Whoever gives a buffer back
 * must be sure nothing still reads or writes it.
 */
export class BufferPool {
  readonly #idle = new Map<number, Buffer[]>();
  readonly #budgetBytes: number;
  #idleBytes = 0;

  constructor(budgetBytes = POOL_BUDGET_BYTES) {
    this.#budgetBytes = budgetBytes;
  }

  /** A buffer of exactly `bytes` at offset 0 of its own memory (so aligned for any element type), with whatever it held before. */
  take(bytes: number): Buffer {
    const body = this.#idle.get(bytes)?.pop();
    if (body === undefined) return Buffer.allocUnsafeSlow(bytes);
    this.#idleBytes -= bytes;
    return body;
  }

  /** `parts` one after another in one buffer from the pool (give it back when done). */
  stack(parts: readonly ArrayBufferView[]): Buffer {
    const into = this.take(parts.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const part of parts) {
      into.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), at);
      at += part.byteLength;
    }
    return into;
  }

  give(body: Buffer): void {
    if (this.#idleBytes + body.byteLength > this.#budgetBytes) return;
    let list = this.#idle.get(body.byteLength);
    if (list === undefined) {
      list = [];
      this.#idle.set(body.byteLength, list);
    }
    list.push(body);
    this.#idleBytes += body.byteLength;
  }
}
