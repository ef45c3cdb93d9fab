import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePrompts } from '../../../src/llm/prompts/generate-prompts.js';
import { parseLengthFile, readLengthFile } from '../../../src/llm/prompts/length-file.js';
import { spec, tempFiles, tokenCount, userErrorOf } from './helpers.js';

describe('length files', () => {
  it('reads "input output" pairs, skipping comments and blank lines (CRLF too)', () => {
    const text = '# input output\n10 5\n\n  20\t7  # a tab and a comment\r\n3 1\n';
    expect(parseLengthFile(text, 'lengths.txt')).toEqual([
      { inputTokens: 10, outputTokens: 5 },
      { inputTokens: 20, outputTokens: 7 },
      { inputTokens: 3, outputTokens: 1 },
    ]);
  });

  it('reports every bad line at once, with its number', () => {
    const text = '10 5\nten 5\n7\n\n0 4\n8 9 10\n2 3\n';
    const error = userErrorOf(() => parseLengthFile(text, 'lengths.txt'));
    expect(error.kind).toBe('config');
    expect(error.message).toBe(
      [
        'invalid length file:',
        'lengths.txt:2: expected two positive integers "input output", found "ten 5"',
        'lengths.txt:3: expected two positive integers "input output", found "7"',
        'lengths.txt:5: expected two positive integers "input output", found "0 4"',
        'lengths.txt:6: expected two positive integers "input output", found "8 9 10"',
      ].join('\n'),
    );
  });

  it('rejects a file with no pairs and a file that is not there', () => {
    expect(userErrorOf(() => parseLengthFile('# nothing\n\n', 'empty.txt')).message).toBe('empty.txt: length file has no "input output" lines');
    const missing = join(tempFiles({}), 'missing.txt');
    const error = userErrorOf(() => readLengthFile(missing));
    expect(error.kind).toBe('config');
    expect(error.message).toBe(`${missing}: length file not found`);
  });

  it('gives prompts its lengths in order, cycling when the set is longer than the file', () => {
    const dir = tempFiles({ 'lengths.txt': '10 5\n20 7\n3 1\n' });
    const prompts = generatePrompts(spec({ count: 7, lengthFile: join(dir, 'lengths.txt') }));
    expect(prompts.map((p) => p.promptTokens)).toEqual([10, 20, 3, 10, 20, 3, 10]);
    expect(prompts.map((p) => tokenCount(p.prompt))).toEqual([10, 20, 3, 10, 20, 3, 10]);
    expect(prompts.map((p) => p.maxTokens)).toEqual([5, 7, 1, 5, 7, 1, 5]);
  });

  it('cycles over the turns of sessions in order, session by session', () => {
    const dir = tempFiles({ 'lengths.txt': '10 5\n20 7\n' });
    const prompts = generatePrompts(spec({ count: 6, turns: 3, lengthFile: join(dir, 'lengths.txt') }));
    expect(prompts.map((p) => p.maxTokens)).toEqual([5, 7, 5, 7, 5, 7]);
    expect(prompts.map((p) => tokenCount(p.messages.at(-1)!.content))).toEqual([10, 20, 10, 20, 10, 20]);
  });
});
