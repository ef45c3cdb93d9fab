import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import type { LlmApi } from '../llm/types.js';
import type { ResponseSink } from '../loadgen/types.js';
import { httpStatusKind } from '../remote/http-failure.js';
import { RemoteError } from '../remote/types.js';
import { errorMessageOf } from './error-body.js';
import type { OpenAiSampleOutput } from './types.js';

export type StreamState = 'streaming' | 'done' | 'failed';

/** The longest piece of a bad event quoted in a message. */
const MAX_QUOTED_CHARS = 120;

/**
 * One streamed completion: server-sent events in, token arrivals out. Each chunk's tokens go to
 * `sink.tokens` synchronously while the chunk is parsed, so the recorder timestamps them as
 * they arrive. The count of a chunk is the increase of usage.completion_tokens when the chunk
 * carries usage (vLLM's continuous_usage_stats), else 1 per chunk with text. The stream ends
 * once, in `onSettled`: null for a good end ([DONE], or the body ending after a finish_reason),
 * the error otherwise. No I/O here: the transport feeds bytes and reports its end or failure.
 */
export class StreamReader {
  #state: StreamState = 'streaming';
  #tokensCounted = 0;
  #usageCompletionTokens: number | null = null;
  #promptTokens: number | null = null;
  #finishReason: string | null = null;
  #chunksWithSeveralTokens = 0;
  readonly #chat: boolean;
  readonly #sampleId: number;
  readonly #sink: ResponseSink;
  readonly #onSettled: (error: RemoteError | null) => void;
  readonly #decoder = new TextDecoder('utf-8');
  readonly #parser: EventSourceParser;
  #text = '';

  constructor(api: LlmApi, sampleId: number, sink: ResponseSink, onSettled: (error: RemoteError | null) => void) {
    this.#chat = api === 'chat';
    this.#sampleId = sampleId;
    this.#sink = sink;
    this.#onSettled = onSettled;
    this.#parser = createParser({ onEvent: (event) => this.#onEvent(event) });
  }

  get state(): StreamState {
    return this.#state;
  }

  /** Tokens passed to sink.tokens so far. */
  get tokensCounted(): number {
    return this.#tokensCounted;
  }

  /** Output tokens of the sample: the server's count when it sent usage, else the chunks counted. */
  get totalTokens(): number {
    return this.#usageCompletionTokens ?? this.#tokensCounted;
  }

  get promptTokens(): number | null {
    return this.#promptTokens;
  }

  get finishReason(): string | null {
    return this.#finishReason;
  }

  get chunksWithSeveralTokens(): number {
    return this.#chunksWithSeveralTokens;
  }

  get usageSeen(): boolean {
    return this.#usageCompletionTokens !== null || this.#promptTokens !== null;
  }

  output(): OpenAiSampleOutput {
    return { text: this.#text, finishReason: this.#finishReason, promptTokens: this.#promptTokens, completionTokens: this.totalTokens };
  }

  /** Bytes of the body, as they arrive (a multi-byte character may straddle two chunks). */
  feed(bytes: Uint8Array): void {
    if (this.#state !== 'streaming') return;
    this.#parser.feed(this.#decoder.decode(bytes, { stream: true }));
  }

  /** The body ended: good if [DONE] or a finish_reason came, broken otherwise. */
  end(): void {
    if (this.#state !== 'streaming') return;
    // An event without its closing blank line is still the server's last word.
    this.#parser.feed(`${this.#decoder.decode()}\n\n`);
    if (this.#state !== 'streaming') return;
    if (this.#finishReason !== null) this.#settle(null);
    else this.#settle(new RemoteError('connection', 'the stream ended without a finish_reason or [DONE]'));
  }

  /** The transport failed or timed out; ignored once the stream has ended. */
  fail(error: RemoteError): void {
    if (this.#state === 'streaming') this.#settle(error);
  }

  #onEvent(event: EventSourceMessage): void {
    if (this.#state !== 'streaming') return;
    const data = event.data;
    if (data === '[DONE]') {
      this.#settle(null);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      this.#settle(new RemoteError('malformed', `an event is not JSON: ${quote(data)}`));
      return;
    }
    if (typeof json !== 'object' || json === null) {
      this.#settle(new RemoteError('malformed', `an event is not a JSON object: ${quote(data)}`));
      return;
    }
    if ('error' in json || event.event === 'error') {
      this.#settle(streamError(json, data));
      return;
    }
    this.#onChunk(json as Chunk);
  }

  #onChunk(chunk: Chunk): void {
    const usage = typeof chunk.usage === 'object' && chunk.usage !== null ? chunk.usage : null;
    const usageTokens = typeof usage?.completion_tokens === 'number' ? usage.completion_tokens : null;
    const choice = Array.isArray(chunk.choices) ? (chunk.choices[0] as Choice | undefined) : undefined;
    if (choice !== undefined) {
      if (typeof choice !== 'object' || choice === null) {
        this.#settle(new RemoteError('malformed', `choices[0] of a chunk is not an object: ${quote(JSON.stringify(chunk))}`));
        return;
      }
      const text = this.#chat ? deltaText(choice.delta) : typeof choice.text === 'string' ? choice.text : '';
      const count = usageTokens !== null ? Math.max(0, usageTokens - this.#tokensCounted) : text === '' ? 0 : 1;
      if (count > 0) {
        this.#sink.tokens(this.#sampleId, count);
        this.#tokensCounted += count;
        if (count > 1) this.#chunksWithSeveralTokens++;
      }
      this.#text += text;
      if (typeof choice.finish_reason === 'string') this.#finishReason = choice.finish_reason;
    }
    // A usage-only chunk (no choices) carries the totals, not a token arrival.
    if (usageTokens !== null) this.#usageCompletionTokens = usageTokens;
    if (typeof usage?.prompt_tokens === 'number') this.#promptTokens = usage.prompt_tokens;
  }

  #settle(error: RemoteError | null): void {
    this.#state = error === null ? 'done' : 'failed';
    this.#onSettled(error);
  }
}

interface Chunk {
  readonly choices?: unknown;
  readonly usage?: { readonly completion_tokens?: unknown; readonly prompt_tokens?: unknown } | null;
}

interface Choice {
  readonly text?: unknown;
  readonly delta?: unknown;
  readonly finish_reason?: unknown;
}

/** Chat output: the answer and, from reasoning models, the reasoning (both are generated tokens). */
function deltaText(delta: unknown): string {
  if (typeof delta !== 'object' || delta === null) return '';
  const { content, reasoning_content: reasoning } = delta as { content?: unknown; reasoning_content?: unknown };
  return (typeof content === 'string' ? content : '') + (typeof reasoning === 'string' ? reasoning : '');
}

/** An error event mid-stream (vLLM: {"error": {"message", "code"}}): its code says the kind when it is an HTTP status. */
function streamError(json: object, data: string): RemoteError {
  const error = (json as { error?: unknown }).error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const status = typeof code === 'number' ? code : typeof code === 'string' && /^\d{3}$/.test(code) ? Number(code) : null;
  const kind = status !== null && status >= 400 && status <= 599 ? httpStatusKind(status) : 'server-error';
  return new RemoteError(kind, `the stream carried an error: ${errorMessageOf(json) ?? quote(data)}`);
}

function quote(text: string): string {
  return text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}...` : text;
}
