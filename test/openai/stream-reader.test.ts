import { describe, expect, it } from 'vitest';
import type { ResponseSink } from '../../src/loadgen/types.js';
import { StreamReader } from '../../src/openai/stream-reader.js';
import type { RemoteError } from '../../src/remote/types.js';

/** A sink that remembers the token calls of sample 7; settlement goes to the reader's callback. */
function reader(api: 'completions' | 'chat'): { stream: StreamReader; tokens: number[]; outcomes: (RemoteError | null)[] } {
  const tokens: number[] = [];
  const outcomes: (RemoteError | null)[] = [];
  const sink: ResponseSink = {
    complete: () => {},
    completeRange: () => {},
    fail: () => {},
    tokens: (sampleId, count) => {
      expect(sampleId).toBe(7);
      tokens.push(count);
    },
  };
  const stream = new StreamReader(api, 7, sink, (error) => outcomes.push(error));
  return { stream, tokens, outcomes };
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const event = (data: object | string): string => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
const text = (t: string, finish: string | null = null, usage?: object): object => ({ choices: [{ index: 0, text: t, finish_reason: finish }], ...(usage ? { usage } : {}) });

describe('StreamReader', () => {
  it('reads events split anywhere, a multi-byte character across two chunks included', () => {
    const { stream, tokens, outcomes } = reader('completions');
    const body = bytes(event(text('héllo ')) + event(text('wörld', 'stop')) + event('[DONE]'));
    // Cut inside "é" (2 bytes in UTF-8) and inside the second event.
    const cut1 = Buffer.from(body).indexOf(0xc3) + 1;
    for (const piece of [body.subarray(0, cut1), body.subarray(cut1, cut1 + 30), body.subarray(cut1 + 30)]) stream.feed(piece);
    expect(tokens).toEqual([1, 1]);
    expect(outcomes).toEqual([null]);
    expect(stream.output()).toEqual({ text: 'héllo wörld', finishReason: 'stop', promptTokens: null, completionTokens: 2 });
  });

  it('counts usage increases, also when some chunks lack usage', () => {
    const { stream, tokens } = reader('completions');
    stream.feed(bytes(event(text('a b ', null, { prompt_tokens: 4, completion_tokens: 2 }))));
    stream.feed(bytes(event(text('c '))));
    stream.feed(bytes(event(text('d e f ', 'length', { prompt_tokens: 4, completion_tokens: 6 }))));
    // The usage-only chunk is the total, not a token arrival.
    stream.feed(bytes(event({ choices: [], usage: { prompt_tokens: 4, completion_tokens: 6 } }) + event('[DONE]')));
    expect(tokens).toEqual([2, 1, 3]);
    expect(stream.chunksWithSeveralTokens).toBe(2);
    expect(stream.totalTokens).toBe(6);
    expect(stream.promptTokens).toBe(4);
  });

  it('OpenAI style: "usage": null on every chunk but the last counts one token per text chunk', () => {
    const { stream, tokens } = reader('completions');
    stream.feed(bytes(event({ ...text('a '), usage: null }) + event({ ...text('b ', 'length'), usage: null })));
    stream.feed(bytes(event({ choices: [], usage: { prompt_tokens: 2, completion_tokens: 2 } }) + event('[DONE]')));
    expect(tokens).toEqual([1, 1]);
    expect(stream.totalTokens).toBe(2);
    expect(stream.usageSeen).toBe(true);
  });

  it('a final usage total differing from what was counted wins for the sample', () => {
    const { stream, tokens } = reader('completions');
    stream.feed(bytes(event(text('ab ')) + event(text('cd ', 'length')) + event({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } })));
    stream.end();
    expect(tokens).toEqual([1, 1]);
    expect(stream.tokensCounted).toBe(2);
    expect(stream.totalTokens).toBe(4);
    expect(stream.state).toBe('done');
  });

  it('chat: content and reasoning_content are output; the role chunk is not a token', () => {
    const { stream, tokens } = reader('chat');
    stream.feed(bytes(event({ choices: [{ delta: { role: 'assistant', content: '' } }] })));
    stream.feed(bytes(event({ choices: [{ delta: { reasoning_content: 'think ' } }] })));
    stream.feed(bytes(event({ choices: [{ delta: { content: 'answer' }, finish_reason: 'stop' }] })));
    stream.feed(bytes(event('[DONE]')));
    expect(tokens).toEqual([1, 1]);
    expect(stream.output().text).toBe('think answer');
  });

  it('settles once: events after [DONE] and later failures are ignored', () => {
    const { stream, tokens, outcomes } = reader('completions');
    stream.feed(bytes(event(text('a ', 'stop')) + event('[DONE]') + event(text('late '))));
    stream.fail({ kind: 'connection', message: 'x' } as RemoteError);
    stream.end();
    expect(tokens).toEqual([1]);
    expect(outcomes).toEqual([null]);
  });

  it('a last event without its blank line still counts at the end of the body', () => {
    const { stream, outcomes } = reader('completions');
    stream.feed(bytes(`${event(text('a '))}data: ${JSON.stringify(text('b ', 'stop'))}`));
    stream.end();
    expect(stream.finishReason).toBe('stop');
    expect(outcomes).toEqual([null]);
  });

  it('fails on a JSON value that is not an object, and on a non-object choice', () => {
    const a = reader('completions');
    a.stream.feed(bytes(event('42')));
    expect(a.outcomes[0]?.message).toBe('malformed: an event is not a JSON object: 42');
    const b = reader('completions');
    b.stream.feed(bytes(event({ choices: ['x'] })));
    expect(b.outcomes[0]?.kind).toBe('malformed');
  });

  it('an error event with a 4xx code is a client error', () => {
    const { stream, outcomes } = reader('completions');
    stream.feed(bytes(event({ error: { message: 'context too long', code: 400 } })));
    expect(outcomes[0]?.message).toBe('client-error: the stream carried an error: context too long');
  });
});
