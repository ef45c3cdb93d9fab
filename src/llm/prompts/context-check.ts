import { UserError } from '../../cli/errors.js';
import { renderChat } from '../text/chat-template.js';
import { WordTokenizer } from '../text/word-tokenizer.js';
import type { ChatMessage } from '../types.js';
import { readLengthFile } from './length-file.js';
import { maxLength } from './lengths.js';
import type { PromptSetSpec } from './types.js';

/**
 * The most tokens one request of the spec can need, prompt plus requested output, over both
 * APIs and whatever the seed draws: every length at its maximum, rendered with the chat
 * template (which is never shorter than the plain completions prompt).
 */
export function worstCaseContextTokens(spec: PromptSetSpec): number {
  const { input, output } = longestLengths(spec);
  // Any vocabulary word is one token; the template's role markers do not depend on which.
  const words = (n: number): string => Array.from({ length: n }, () => 'the').join(' ');
  const messages: ChatMessage[] = spec.sharedPrefixTokens > 0 ? [{ role: 'system', content: words(spec.sharedPrefixTokens) }] : [];
  for (let turn = 0; turn < spec.turns; turn++) {
    if (turn > 0) messages.push({ role: 'assistant', content: words(output) });
    messages.push({ role: 'user', content: words(input) });
  }
  return new WordTokenizer().encode(renderChat(messages)).length + output;
}

/** A UserError when some request of the spec could exceed the model's context window. */
export function assertFitsContext(spec: PromptSetSpec, maxContext: number, source: string): void {
  const worst = worstCaseContextTokens(spec);
  if (worst <= maxContext) return;
  throw new UserError(
    'workload',
    `${source}: a request of this prompt set can need ${worst} tokens (prompt with its chat template and history, plus max_tokens), over the model's context of ${maxContext}; shorten the input, output, prefix or turns`,
  );
}

function longestLengths(spec: PromptSetSpec): { input: number; output: number } {
  if (spec.lengthFile === null) return { input: maxLength(spec.input), output: maxLength(spec.output) };
  const pairs = readLengthFile(spec.lengthFile);
  return {
    input: pairs.reduce((most, p) => Math.max(most, p.inputTokens), 0),
    output: pairs.reduce((most, p) => Math.max(most, p.outputTokens), 0),
  };
}
