import { describe, expect, it } from 'vitest';
import { generatePrompts } from '../../../src/llm/prompts/generate-prompts.js';
import type { LlmPrompt } from '../../../src/llm/types.js';
import { spec, tokenCount } from './helpers.js';

function systemText(prompt: LlmPrompt | undefined): string {
  const system = prompt?.messages[0];
  if (system?.role !== 'system') throw new Error('expected a system message first');
  return system.content;
}

const withPrefix = spec({ count: 64, sharedPrefixTokens: 64, input: { kind: 'uniform', min: 16, max: 32 }, output: { kind: 'fixed', tokens: 32 } });

describe('generatePrompts: shared prefix', () => {
  it('starts every completions prompt with the same 64 words and counts them in promptTokens', () => {
    const prompts = generatePrompts(withPrefix);
    const prefix = systemText(prompts[0]);
    expect(tokenCount(prefix)).toBe(64);
    for (const p of prompts) {
      const user = p.messages[1]!.content;
      expect(p.prompt).toBe(`${prefix} ${user}`);
      expect(p.promptTokens).toBe(64 + tokenCount(user));
      expect(tokenCount(p.prompt)).toBe(p.promptTokens);
      expect(p.promptTokens).toBeGreaterThanOrEqual(64 + 16);
      expect(p.promptTokens).toBeLessThanOrEqual(64 + 32);
    }
  });

  it('makes the prefix the system message of every chat request', () => {
    const prompts = generatePrompts(withPrefix);
    const prefix = systemText(prompts[0]);
    for (const p of prompts) {
      expect(p.messages.map((m) => m.role)).toEqual(['system', 'user']);
      expect(p.messages[0]!.content).toBe(prefix);
    }
  });

  it('leaves lengths and user text as they are without a prefix, so the two runs compare', () => {
    const without = generatePrompts({ ...withPrefix, sharedPrefixTokens: 0 });
    const prompts = generatePrompts(withPrefix);
    expect(prompts.map((p) => p.messages[1]!.content)).toEqual(without.map((p) => p.prompt));
    expect(prompts.map((p) => p.maxTokens)).toEqual(without.map((p) => p.maxTokens));
  });

  it('draws another prefix from another seed', () => {
    const a = systemText(generatePrompts(withPrefix)[0]);
    const b = systemText(generatePrompts({ ...withPrefix, seed: 2 })[0]);
    expect(b).not.toBe(a);
    expect(tokenCount(b)).toBe(64);
  });
});
