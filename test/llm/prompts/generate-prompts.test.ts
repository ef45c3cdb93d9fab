import { describe, expect, it } from 'vitest';
import { generatePrompts } from '../../../src/llm/prompts/generate-prompts.js';
import { renderChat } from '../../../src/llm/text/chat-template.js';
import { WORDS } from '../../../src/llm/text/words.js';
import { spec, tokenCount, userErrorOf } from './helpers.js';

/** " user:" and "\nassistant:" are byte tokens (6 + 11): the template around one user message. */
const ONE_MESSAGE_TEMPLATE_TOKENS = 17;

describe('generatePrompts: independent prompts', () => {
  it('makes fixed lengths exact by the word tokenizer, for both APIs', () => {
    const prompts = generatePrompts(spec({ count: 32, input: { kind: 'fixed', tokens: 64 }, output: { kind: 'fixed', tokens: 48 } }));
    expect(prompts).toHaveLength(32);
    for (const p of prompts) {
      expect(tokenCount(p.prompt)).toBe(64);
      expect(p.promptTokens).toBe(64);
      expect(p.messages).toEqual([{ role: 'user', content: p.prompt }]);
      expect(p.chatTokens).toBe(tokenCount(renderChat(p.messages)));
      expect(p.chatTokens).toBe(64 + ONE_MESSAGE_TEMPLATE_TOKENS);
      expect(p.maxTokens).toBe(48);
      expect(p.session).toBeNull();
      expect(p.turn).toBeNull();
    }
  });

  it('keeps uniform lengths within their inclusive bounds and reaches both ends over 256 draws', () => {
    const prompts = generatePrompts(spec({ count: 256, input: { kind: 'uniform', min: 16, max: 96 }, output: { kind: 'uniform', min: 8, max: 128 } }));
    const inputs = prompts.map((p) => tokenCount(p.prompt));
    const outputs = prompts.map((p) => p.maxTokens);
    expect(prompts.map((p) => p.promptTokens)).toEqual(inputs);
    expect([Math.min(...inputs), Math.max(...inputs)]).toEqual([16, 96]);
    expect([Math.min(...outputs), Math.max(...outputs)]).toEqual([8, 128]);
  });

  it('builds text only from vocabulary words joined by single spaces', () => {
    const vocabulary = new Set(WORDS);
    for (const p of generatePrompts(spec({ count: 64, input: { kind: 'uniform', min: 1, max: 40 } }))) {
      for (const word of p.prompt.split(' ')) expect(vocabulary.has(word)).toBe(true);
    }
  });

  it('gives identical prompts for the same spec and different ones for another seed', () => {
    const uniform = spec({ count: 64, input: { kind: 'uniform', min: 4, max: 32 }, output: { kind: 'uniform', min: 4, max: 32 } });
    expect(generatePrompts(uniform)).toEqual(generatePrompts({ ...uniform }));
    const other = generatePrompts({ ...uniform, seed: 2 });
    const first = generatePrompts(uniform);
    expect(other.map((p) => p.prompt)).not.toEqual(first.map((p) => p.prompt));
    expect(other.map((p) => p.maxTokens)).not.toEqual(first.map((p) => p.maxTokens));
  });

  it('pins the text a seed gives: changing the generator changes every LLM workload', () => {
    const [first] = generatePrompts(spec({ seed: 1, count: 1, input: { kind: 'fixed', tokens: 5 } }));
    expect(first!.prompt).toBe('worker late early head used');
  });

  it('keeps the first prompts when the set grows', () => {
    const small = generatePrompts(spec({ count: 10, input: { kind: 'uniform', min: 4, max: 32 } }));
    const large = generatePrompts(spec({ count: 20, input: { kind: 'uniform', min: 4, max: 32 } }));
    expect(large.slice(0, 10)).toEqual(small);
  });

  it('rejects an impossible spec with every problem at once', () => {
    const bad = spec({ seed: -1, count: 10, turns: 3, sharedPrefixTokens: 1.5, input: { kind: 'uniform', min: 9, max: 3 }, output: { kind: 'fixed', tokens: 0 } });
    const error = userErrorOf(() => generatePrompts(bad));
    expect(error.kind).toBe('config');
    expect(error.message).toBe(
      [
        'invalid prompt set:',
        'prompt set test: $.seed: expected an integer in [0, 4294967295], found -1',
        'prompt set test: $.count: 10 prompts do not divide into sessions of 3 turns (count is sessions x turns)',
        'prompt set test: $.sharedPrefixTokens: expected a non-negative integer, found 1.5',
        'prompt set test: $.input: min 9 is above max 3',
        'prompt set test: $.output.tokens: expected a positive integer, found 0',
      ].join('\n'),
    );
  });
});
