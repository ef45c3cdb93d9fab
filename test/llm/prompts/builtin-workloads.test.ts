import { describe, expect, it } from 'vitest';
import { describeSpec } from '../../../src/llm/prompts/describe-spec.js';
import { generatePrompts } from '../../../src/llm/prompts/generate-prompts.js';
import { loadLlmWorkload } from '../../../src/llm/prompts/load-llm-workload.js';
import { tokenCount } from './helpers.js';

/** The built-in model's context window (src/llm/model): every request must fit in it. */
const BUILT_IN_CONTEXT = 512;

const BUILT_INS = [
  { name: 'llm-mixed', count: 256, summary: '256 prompts, input 16-96 tokens, output 8-128, seed 1' },
  { name: 'llm-fixed', count: 256, summary: '256 prompts, input 64 tokens, output 64, seed 1' },
  { name: 'llm-shared-prefix', count: 256, summary: '256 prompts, shared prefix 64 tokens, input 16-32 tokens, output 32, seed 1' },
  { name: 'llm-chat', count: 192, summary: '192 prompts (64 sessions x 3 turns), input 8-24 tokens, output 16-48, seed 1' },
] as const;

describe('built-in LLM workloads', () => {
  it.each(BUILT_INS)('$name loads, fits the built-in context and generates its prompts', ({ name, count, summary }) => {
    const workload = loadLlmWorkload(name, { maxContext: BUILT_IN_CONTEXT });
    expect(workload.spec.name).toBe(name);
    expect(describeSpec(workload.spec)).toBe(summary);
    expect(workload.defaults).toEqual({ server: { ttftBoundMs: 2000, tpotBoundMs: 200 } });
    const prompts = generatePrompts(workload.spec);
    expect(prompts).toHaveLength(count);
    for (const p of prompts) {
      expect(tokenCount(p.prompt)).toBe(p.promptTokens);
      expect(Math.max(p.promptTokens, p.chatTokens) + p.maxTokens).toBeLessThanOrEqual(BUILT_IN_CONTEXT);
    }
    expect(generatePrompts(loadLlmWorkload(name).spec)).toEqual(prompts);
  });

  it('llm-mixed: input and output lengths reach both ends of their ranges', () => {
    const prompts = generatePrompts(loadLlmWorkload('llm-mixed').spec);
    const inputs = prompts.map((p) => p.promptTokens);
    const outputs = prompts.map((p) => p.maxTokens);
    expect([Math.min(...inputs), Math.max(...inputs)]).toEqual([16, 96]);
    expect([Math.min(...outputs), Math.max(...outputs)]).toEqual([8, 128]);
  });

  it('llm-fixed: every request is 64 tokens in, 64 asked for', () => {
    const prompts = generatePrompts(loadLlmWorkload('llm-fixed').spec);
    expect(new Set(prompts.map((p) => `${p.promptTokens}/${p.maxTokens}`))).toEqual(new Set(['64/64']));
  });

  it('llm-shared-prefix: one 64-token system message for all prompts', () => {
    const prompts = generatePrompts(loadLlmWorkload('llm-shared-prefix').spec);
    const systems = new Set(prompts.map((p) => p.messages[0]!.content));
    expect(systems.size).toBe(1);
    expect(tokenCount([...systems][0]!)).toBe(64);
  });

  it('llm-chat: 64 sessions of 3 turns, the last turn carrying 5 messages', () => {
    const prompts = generatePrompts(loadLlmWorkload('llm-chat').spec);
    expect(new Set(prompts.map((p) => p.session)).size).toBe(64);
    expect(prompts.filter((p) => p.turn === 2).every((p) => p.messages.length === 5)).toBe(true);
  });
});
