import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSpec } from '../../../src/llm/prompts/describe-spec.js';
import { generatePrompts } from '../../../src/llm/prompts/generate-prompts.js';
import { PromptLibrary } from '../../../src/llm/prompts/prompt-library.js';
import { spec } from './helpers.js';

describe('PromptLibrary', () => {
  it('holds every prompt in memory: the whole set is the performance set', async () => {
    const prompts = generatePrompts(spec({ count: 24 }));
    const library = new PromptLibrary('test', prompts);
    expect(library.name).toBe('test');
    expect(library.totalSampleCount).toBe(24);
    expect(library.performanceSampleCount).toBe(24);
    expect(library.prompts).toBe(prompts);
    await expect(library.loadSamples([0, 5, 5, 23])).resolves.toBeUndefined();
    await expect(library.unloadSamples([0, 5])).resolves.toBeUndefined();
    expect(library.prompt(5)).toBe(prompts[5]);
  });

  it('throws on a sample index outside the set and refuses an empty set', () => {
    const library = new PromptLibrary('test', generatePrompts(spec({ count: 2 })));
    expect(() => library.prompt(2)).toThrow('sample 2 is outside test (2 prompts)');
    expect(() => new PromptLibrary('empty', [])).toThrow('prompt library empty has no prompts');
  });
});

describe('describeSpec', () => {
  it('says fixed lengths as one number and names a length file', () => {
    expect(describeSpec(spec({ count: 8, seed: 9, input: { kind: 'fixed', tokens: 128 }, output: { kind: 'uniform', min: 1, max: 2 } }))).toBe(
      '8 prompts, input 128 tokens, output 1-2, seed 9',
    );
    expect(describeSpec(spec({ count: 6, turns: 2, sharedPrefixTokens: 4, lengthFile: join('/data', 'lengths.txt') }))).toBe(
      '6 prompts (3 sessions x 2 turns), shared prefix 4 tokens, lengths from lengths.txt (cycled), seed 1',
    );
  });
});
