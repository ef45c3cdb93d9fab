import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

/** What came back for one request: status, headers and the whole body. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Rejection reason of an exchange whose timer fired first. */
export class ExchangeTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`);
    this.name = 'ExchangeTimeout';
  }
}

/**
 * One request through undici's dispatcher API: the body is collected in a chunk list and the
 * promise settles once, on the end, the error or the timeout, whichever comes first. Cheaper
 * per request than `request()` (no body stream, no AbortSignal): the timer holds this object,
 * not a closure, and aborts the request through the controller undici hands over.
 */
class Exchange implements Dispatcher.DispatchHandler {
  status = 0;
  headers: IncomingHttpHeaders = {};
  readonly #chunks: Buffer[] = [];
  #controller: Dispatcher.DispatchController | null = null;
  #timer: NodeJS.Timeout | null = null;
  #settled = false;
  readonly #resolve: (answer: HttpAnswer) => void;
  readonly #reject: (error: unknown) => void;
  readonly #timeoutMs: number;

  constructor(resolve: (answer: HttpAnswer) => void, reject: (error: unknown) => void, timeoutMs: number) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#timeoutMs = timeoutMs;
    if (timeoutMs > 0) this.#timer = setTimeout(onTimeout, timeoutMs, this);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    // Timed out while queued for a connection: drop it before it is written.
    if (this.#settled) controller.abort(new ExchangeTimeout(this.#timeoutMs));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.#settle()) {
      const chunks = this.#chunks;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      this.#resolve({ status: this.status, headers: this.headers, body });
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.failed(error);
  }

  failed(error: unknown): void {
    if (this.#settle()) this.#reject(error);
  }

  timedOut(): void {
    this.#timer = null;
    if (!this.#settle()) return;
    const error = new ExchangeTimeout(this.#timeoutMs);
    this.#controller?.abort(error);
    this.#reject(error);
  }

  /** True the first time: the caller settles the promise. */
  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    return true;
  }
}

function onTimeout(exchange: Exchange): void {
  exchange.timedOut();
}

/** POSTs `body` and collects the answer; rejects with undici's error or an ExchangeTimeout. */
export function exchange(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const handler = new Exchange(resolve, reject, timeoutMs);
    try {
      dispatcher.dispatch(options, handler);
    } catch (error) {
      // undici reports most errors through the handler; a throw must not leave the timer armed.
      handler.failed(error);
    }
  });
}
