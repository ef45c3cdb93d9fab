import { describe, expect, it } from 'vitest';
import { parseLengthFlag } from '../../../src/llm/prompts/lengths.js';
import { userErrorOf } from './helpers.js';

describe('parseLengthFlag', () => {
  it('reads a count as a fixed length and min:max as an inclusive uniform range', () => {
    expect(parseLengthFlag('128', '--input-tokens')).toEqual({ kind: 'fixed', tokens: 128 });
    expect(parseLengthFlag('16:256', '--input-tokens')).toEqual({ kind: 'uniform', min: 16, max: 256 });
    expect(parseLengthFlag(' 16 : 16 ', '--output-tokens')).toEqual({ kind: 'uniform', min: 16, max: 16 });
  });

  it.each(['', 'abc', '0', '0:8', '16:8', '1.5', '-3', '16-256', '16:256:3', '1e3', '16:'])('rejects %j, naming the flag and the accepted forms', (value) => {
    const error = userErrorOf(() => parseLengthFlag(value, '--output-tokens'));
    expect(error.kind).toBe('flag');
    expect(error.message).toBe(
      `--output-tokens ${JSON.stringify(value)}: expected a token count like 128, or an inclusive range like 16:256 (positive integers, min <= max)`,
    );
  });
});
