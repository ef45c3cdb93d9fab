import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { overrideSpec } from '../../../src/llm/prompts/spec-overrides.js';
import { spec, userErrorOf } from './helpers.js';

const base = spec({ input: { kind: 'uniform', min: 16, max: 96 }, output: { kind: 'uniform', min: 8, max: 128 } });
const fromFile = spec({ lengthFile: '/data/lengths.txt' });

describe('overrideSpec', () => {
  it('keeps the workload values the flags leave out', () => {
    expect(overrideSpec(base, {})).toEqual(base);
    expect(overrideSpec(base, { seed: 7, count: 32, turns: 2, sharedPrefixTokens: 16 })).toEqual({ ...base, seed: 7, count: 32, turns: 2, sharedPrefixTokens: 16 });
  });

  it('replaces one length and keeps the other', () => {
    expect(overrideSpec(base, { output: { kind: 'fixed', tokens: 64 } })).toEqual({ ...base, output: { kind: 'fixed', tokens: 64 } });
  });

  it('lets a length file replace the lengths, resolved from the working directory', () => {
    expect(overrideSpec(base, { lengthFile: 'lengths.txt' })).toEqual({ ...base, lengthFile: resolve('lengths.txt') });
  });

  it('lets both lengths replace a workload length file, and refuses only one', () => {
    const input = { kind: 'fixed', tokens: 10 } as const;
    const output = { kind: 'fixed', tokens: 20 } as const;
    expect(overrideSpec(fromFile, { input, output })).toEqual({ ...fromFile, input, output, lengthFile: null });
    const error = userErrorOf(() => overrideSpec(fromFile, { input }));
    expect(error.kind).toBe('flag');
    expect(error.message).toBe(
      'prompt set test takes its lengths from /data/lengths.txt: give both the input and the output length to replace it, or another length file',
    );
  });

  it('refuses a length file together with lengths', () => {
    const error = userErrorOf(() => overrideSpec(base, { lengthFile: 'x.txt', input: { kind: 'fixed', tokens: 1 } }));
    expect(error.message).toBe('a length file replaces the input and output lengths: give one or the other, not both');
  });
});
