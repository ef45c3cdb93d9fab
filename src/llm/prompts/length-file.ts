import { existsSync, readFileSync } from 'node:fs';
import { UserError } from '../../cli/errors.js';
import type { LengthPair } from './types.js';

/**
 * A length file: one "input output" pair of token counts per line (positive integers separated
 * by blanks), '#' starts a comment, blank lines are skipped. Every bad line is reported at once.
 */
export function readLengthFile(path: string): LengthPair[] {
  if (!existsSync(path)) throw new UserError('config', `${path}: length file not found`);
  return parseLengthFile(readFileSync(path, 'utf8'), path);
}

/** The parsing half of readLengthFile; `source` names the file in messages. */
export function parseLengthFile(text: string, source: string): LengthPair[] {
  const pairs: LengthPair[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const content = line.replace(/#.*/, '').trim();
    if (content === '') return;
    const pair = parsePair(content);
    if (pair === null) problems.push(`${source}:${index + 1}: expected two positive integers "input output", found ${JSON.stringify(line.trim())}`);
    else pairs.push(pair);
  });
  if (problems.length > 0) throw new UserError('config', `invalid length file:\n${problems.join('\n')}`);
  if (pairs.length === 0) throw new UserError('config', `${source}: length file has no "input output" lines`);
  return pairs;
}

function parsePair(content: string): LengthPair | null {
  const match = /^(\d+)\s+(\d+)$/.exec(content);
  if (!match) return null;
  const inputTokens = Number(match[1]);
  const outputTokens = Number(match[2]);
  const valid = (n: number): boolean => Number.isSafeInteger(n) && n >= 1;
  return valid(inputTokens) && valid(outputTokens) ? { inputTokens, outputTokens } : null;
}
