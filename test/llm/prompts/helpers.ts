import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../../src/cli/errors.js';
import type { PromptSetSpec } from '../../../src/llm/prompts/types.js';
import { WordTokenizer } from '../../../src/llm/text/word-tokenizer.js';

const tokenizer = new WordTokenizer();

/** Tokens of `text` by the built-in word tokenizer: the ground truth for every length. */
export function tokenCount(text: string): number {
  return tokenizer.encode(text).length;
}

export function spec(overrides: Partial<PromptSetSpec> = {}): PromptSetSpec {
  return {
    name: 'test',
    seed: 1,
    count: 16,
    input: { kind: 'fixed', tokens: 8 },
    output: { kind: 'fixed', tokens: 4 },
    lengthFile: null,
    sharedPrefixTokens: 0,
    turns: 1,
    ...overrides,
  };
}

/** A fresh temporary folder with these files in it. */
export function tempFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlbench-prompts-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The UserError `run` throws (fails the test when it throws something else or nothing). */
export function userErrorOf(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError, nothing was thrown');
}
