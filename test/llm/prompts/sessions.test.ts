import { describe, expect, it } from 'vitest';
import { generatePrompts } from '../../../src/llm/prompts/generate-prompts.js';
import { renderChat } from '../../../src/llm/text/chat-template.js';
import { spec, tokenCount } from './helpers.js';

const chat = spec({ count: 12, turns: 3, input: { kind: 'uniform', min: 8, max: 24 }, output: { kind: 'uniform', min: 16, max: 48 } });

describe('generatePrompts: multi-turn sessions', () => {
  it('numbers sessions and turns in order', () => {
    const prompts = generatePrompts(chat);
    expect(prompts.map((p) => p.session)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    expect(prompts.map((p) => p.turn)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
  });

  it('carries the history: turn k has 2k+1 messages, the previous turn plus its reply and a new user message', () => {
    const prompts = generatePrompts(chat);
    prompts.forEach((p, i) => {
      const turn = p.turn!;
      expect(p.messages).toHaveLength(2 * turn + 1);
      expect(p.messages.map((m) => m.role)).toEqual(Array.from({ length: 2 * turn + 1 }, (_, k) => (k % 2 === 0 ? 'user' : 'assistant')));
      if (turn === 0) return;
      const previous = prompts[i - 1]!;
      expect(p.messages.slice(0, previous.messages.length)).toEqual(previous.messages);
      // The reply in the history is as long as the output the previous turn asked for.
      expect(tokenCount(p.messages[2 * turn - 1]!.content)).toBe(previous.maxTokens);
    });
  });

  it('has 2k+2 messages with a shared prefix, the system message first', () => {
    const prompts = generatePrompts({ ...chat, sharedPrefixTokens: 10 });
    for (const p of prompts) {
      expect(p.messages).toHaveLength(2 * p.turn! + 2);
      expect(p.messages[0]!.role).toBe('system');
      expect(tokenCount(p.messages[0]!.content)).toBe(10);
    }
  });

  it('sends completions the rendered conversation, counted by the tokenizer', () => {
    for (const p of generatePrompts(chat)) {
      expect(p.prompt).toBe(renderChat(p.messages));
      expect(p.promptTokens).toBe(tokenCount(p.prompt));
      expect(p.chatTokens).toBe(p.promptTokens);
      const userTokens = tokenCount(p.messages.at(-1)!.content);
      expect(userTokens).toBeGreaterThanOrEqual(8);
      expect(userTokens).toBeLessThanOrEqual(24);
      expect(p.maxTokens).toBeGreaterThanOrEqual(16);
      expect(p.maxTokens).toBeLessThanOrEqual(48);
    }
  });

  it('starts different sessions with different text', () => {
    const firsts = generatePrompts(chat).filter((p) => p.turn === 0).map((p) => p.messages[0]!.content);
    expect(new Set(firsts).size).toBe(4);
  });
});
