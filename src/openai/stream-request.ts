import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { httpFailure, httpStatusKind } from '../remote/http-failure.js';
import { RemoteError } from '../remote/types.js';
import { openAiErrorMessage } from './error-body.js';
import type { StreamReader } from './stream-reader.js';

/** An error body is quoted, not stored: keep this much of it. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * One streaming request through undici's dispatcher API: a 200 event stream goes to the
 * reader chunk by chunk; any other answer is collected (bounded) and becomes the reader's
 * failure. The timeout covers the whole request, stream included, and aborts it. `onClosed`
 * runs once, when the connection is done with the request (its slot is free again).
 */
export class StreamRequest implements Dispatcher.DispatchHandler {
  readonly #reader: StreamReader;
  readonly #timeoutMs: number;
  readonly #onClosed: () => void;
  #controller: Dispatcher.DispatchController | null = null;
  #timer: NodeJS.Timeout | null = null;
  /** Non-null: the answer is not an event stream, collected for the error message. */
  #errorBody: Buffer[] | null = null;
  #errorBytes = 0;
  #status = 0;
  #retryAfter: string | undefined;
  #closed = false;

  constructor(reader: StreamReader, timeoutMs: number, onClosed: () => void) {
    this.#reader = reader;
    this.#timeoutMs = timeoutMs;
    this.#onClosed = onClosed;
    if (timeoutMs > 0) this.#timer = setTimeout(onTimeout, timeoutMs, this);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    // Timed out before a connection took it: drop it unsent.
    if (this.#reader.state !== 'streaming') controller.abort(new RemoteError('timeout', 'aborted before it was sent'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.#status = statusCode;
    const contentType = String(headers['content-type'] ?? '');
    // A server that ignores stream: true answers one JSON document: say so rather than "no [DONE]".
    if (statusCode !== 200 || contentType.includes('application/json')) {
      this.#errorBody = [];
      const retryAfter = headers['retry-after'];
      this.#retryAfter = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#errorBody !== null) {
      if (this.#errorBytes < MAX_ERROR_BODY_BYTES) this.#errorBody.push(chunk);
      this.#errorBytes += chunk.length;
      return;
    }
    this.#reader.feed(chunk);
    // A malformed or error event ends the sample; the rest of the stream is not worth reading.
    if (this.#reader.state === 'failed') controller.abort(new RemoteError('malformed', 'stream abandoned'));
  }

  onResponseEnd(): void {
    if (this.#errorBody === null) this.#reader.end();
    else this.#reader.fail(this.#answerError(Buffer.concat(this.#errorBody)));
    this.#close();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#reader.fail(httpFailure(error));
    this.#close();
  }

  /** Called by dispatch's caller when dispatch itself throws. */
  failed(error: unknown): void {
    this.#reader.fail(httpFailure(error));
    this.#close();
  }

  timedOut(): void {
    this.#timer = null;
    const error = new RemoteError('timeout', `no complete stream within ${this.#timeoutMs} ms`);
    this.#reader.fail(error);
    // The abort reaches onResponseError, which closes; unsent, onRequestStart aborts it.
    this.#controller?.abort(error);
  }

  #answerError(body: Buffer): RemoteError {
    const said = openAiErrorMessage(body);
    if (this.#status === 200) return new RemoteError('malformed', `HTTP 200 with a JSON body, not an event stream (does the server support "stream": true?)${said === '' ? '' : `: ${said}`}`);
    const kind = httpStatusKind(this.#status);
    const retry = this.#retryAfter === undefined ? '' : ` (Retry-After: ${this.#retryAfter})`;
    return new RemoteError(kind, `HTTP ${this.#status}${retry}${said === '' ? '' : `: ${said}`}`);
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#onClosed();
  }
}

function onTimeout(request: StreamRequest): void {
  request.timedOut();
}
