import type { IncomingMessage } from 'node:http';
import type { BufferPool } from '../backends/buffer-pool.js';

/** `pooled`: the buffer `body` lies in, taken from the pool; the caller gives it back once nothing reads the body. */
export type BodyResult =
  | { readonly kind: 'body'; readonly body: Buffer; readonly pooled: Buffer | null }
  | { readonly kind: 'too-large'; readonly bytes: number };

/**
 * Reads a request body of at most `limitBytes`. Over the limit (by Content-Length, or while
 * streaming) it stops keeping the bytes and says so at once; the rest of the body is read and
 * discarded (node does that after the response), so the client sees the 413 rather than a reset.
 *
 * A body that arrives in one chunk is used as it is. One in several chunks, with a declared
 * length, is copied once into a buffer from `pool`, laid out so that byte `alignFrom` (where the
 * binary tensors begin) sits at a multiple of 8: the decoder can then view the tensors instead
 * of copying them again.
 */
export function readBody(request: IncomingMessage, limitBytes: number, alignFrom = 0, pool: BufferPool | null = null): Promise<BodyResult> {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (declared > limitBytes) return Promise.resolve({ kind: 'too-large', bytes: declared });
  return new Promise((resolve, reject) => {
    const body = new BodyBuffer(Number.isInteger(declared) ? declared : null, alignFrom, pool);
    const onData = (chunk: Buffer): void => {
      if (body.received + chunk.byteLength > limitBytes) {
        cleanup();
        request.resume();
        resolve({ kind: 'too-large', bytes: body.received + chunk.byteLength });
        return;
      }
      body.add(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ kind: 'body', body: body.whole(), pooled: body.pooled });
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => onError(new Error('the client closed the connection before the body ended'));
    const cleanup = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}

/** The chunks of one body: the first kept as it is, later ones written into one aligned buffer. */
class BodyBuffer {
  received = 0;
  #first: Buffer | null = null;
  #into: Buffer | null = null;
  /** What #into was cut from, when it came from the pool. */
  pooled: Buffer | null = null;
  #chunks: Buffer[] | null = null;

  readonly #declared: number | null;
  readonly #alignFrom: number;
  readonly #pool: BufferPool | null;

  constructor(declared: number | null, alignFrom: number, pool: BufferPool | null) {
    this.#declared = declared;
    this.#alignFrom = alignFrom;
    this.#pool = pool;
  }

  add(chunk: Buffer): void {
    if (this.received === 0 && this.#first === null) {
      this.#first = chunk;
    } else if (this.#declared !== null && this.received + chunk.byteLength <= this.#declared) {
      this.#into ??= this.#aligned(this.#first!);
      chunk.copy(this.#into, this.received);
    } else {
      // No declared length (chunked encoding), or more bytes than declared: collect and join.
      this.#chunks ??= [this.#into === null ? this.#first! : this.#into.subarray(0, this.received)];
      this.#chunks.push(chunk);
    }
    this.received += chunk.byteLength;
  }

  whole(): Buffer {
    if (this.#chunks !== null) return Buffer.concat(this.#chunks, this.received);
    if (this.#into !== null) return this.#into.subarray(0, this.received);
    return this.#first ?? Buffer.alloc(0);
  }

  /** A buffer of the declared length whose byte `alignFrom` is 8-aligned, holding `first`. */
  #aligned(first: Buffer): Buffer {
    const pad = (8 - (this.#alignFrom % 8)) % 8;
    const whole = this.#pool === null ? Buffer.allocUnsafeSlow(pad + this.#declared!) : this.#pool.take(pad + this.#declared!);
    if (this.#pool !== null) this.pooled = whole;
    const into = whole.subarray(pad, pad + this.#declared!);
    first.copy(into, 0);
    return into;
  }
}
