import { describe, expect, it } from 'vitest';
import { Sequence } from '../../../src/llm/engine/sequence.js';
import { collectingRequest } from './collect.js';

const EOS = 2;

describe('Sequence', () => {
  it('stopAtEos: end-of-sequence ends it with stop and is not handed over', () => {
    const { request, collected } = collectingRequest(Int32Array.of(5), 10, true);
    const sequence = new Sequence(request, request.promptTokens, 0);
    expect(sequence.accept(300, EOS)).toBe(true);
    expect(sequence.accept(EOS, EOS)).toBe(false);
    expect(sequence.accept(301, EOS)).toBe(false);
    expect(collected.tokens).toEqual([300]);
    expect(collected.finishes).toEqual(['stop']);
    expect(sequence.outcome).toBe('finished');
  });

  it('without stopAtEos the token is an ordinary one; maxTokens ends it with length, once', () => {
    const { request, collected } = collectingRequest(Int32Array.of(5), 2, false);
    const sequence = new Sequence(request, request.promptTokens, 0);
    sequence.accept(EOS, EOS);
    sequence.accept(7, EOS);
    sequence.accept(8, EOS);
    sequence.fail(new Error('late'));
    expect(collected.tokens).toEqual([EOS, 7]);
    expect(collected.finishes).toEqual(['length']);
    expect(collected.errors).toEqual([]);
  });

  it('after cancel nothing is called', () => {
    const { request, collected } = collectingRequest(Int32Array.of(5), 2, false);
    const sequence = new Sequence(request, request.promptTokens, 0);
    sequence.cancel();
    sequence.accept(7, EOS);
    sequence.finish('length');
    sequence.fail(new Error('x'));
    expect(collected).toMatchObject({ tokens: [], finishes: [], errors: [] });
    expect(sequence.outcome).toBe('cancelled');
  });
});
