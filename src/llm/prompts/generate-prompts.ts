import { Mt19937, uniformInt } from '../../loadgen/rng.js';
import { renderChat } from '../text/chat-template.js';
import { WordTokenizer } from '../text/word-tokenizer.js';
import { WORDS } from '../text/words.js';
import type { ChatMessage, LlmPrompt } from '../types.js';
import { readLengthFile } from './length-file.js';
import { drawLength } from './lengths.js';
import { assertValidSpec } from './spec-problems.js';
import type { LengthPair, PromptSetSpec } from './types.js';

/**
 * The prompts of a spec, deterministic from its seed. Text is vocabulary words joined by single
 * spaces, so a completions prompt of n words is exactly n tokens of the word tokenizer.
 *
 * Sessions: turn k of a session carries the whole conversation so far (system prefix, earlier
 * user turns and assistant replies). The assistant replies are generated here, before the run,
 * with that turn's requested output length: a benchmark whose later requests depended on what
 * the server answered would measure a different workload on every server. Each turn is an
 * independent request carrying its history; the load generator picks samples at random, so the
 * turns of a session are not sent in order, nor one after the other.
 */
export function generatePrompts(spec: PromptSetSpec): LlmPrompt[] {
  assertValidSpec(spec, `prompt set ${spec.name}`);
  // Separate streams, so the lengths drawn do not change when the prefix length does.
  const streams = new Mt19937(spec.seed);
  const lengthRng = new Mt19937(streams.nextU32());
  const prefixRng = new Mt19937(streams.nextU32());
  const textRng = new Mt19937(streams.nextU32());
  const nextLengths = lengthSource(spec, lengthRng);
  const prefix = randomWords(prefixRng, spec.sharedPrefixTokens);
  const tokenizer = new WordTokenizer();
  const countTokens = (text: string): number => tokenizer.encode(text).length;
  const multiTurn = spec.turns > 1;

  const prompts: LlmPrompt[] = [];
  for (let session = 0; session < spec.count / spec.turns; session++) {
    let history: ChatMessage[] = prefix === '' ? [] : [{ role: 'system', content: prefix }];
    for (let turn = 0; turn < spec.turns; turn++) {
      const { inputTokens, outputTokens } = nextLengths();
      const user = randomWords(textRng, inputTokens);
      const messages: ChatMessage[] = [...history, { role: 'user', content: user }];
      const chat = renderChat(messages);
      const prompt = multiTurn ? chat : prefix === '' ? user : `${prefix} ${user}`;
      const chatTokens = countTokens(chat);
      prompts.push({
        prompt,
        messages,
        promptTokens: prompt === chat ? chatTokens : countTokens(prompt),
        chatTokens,
        maxTokens: outputTokens,
        session: multiTurn ? session : null,
        turn: multiTurn ? turn : null,
      });
      if (turn + 1 < spec.turns) history = [...messages, { role: 'assistant', content: randomWords(textRng, outputTokens) }];
    }
  }
  return prompts;
}

/** Lengths of successive prompts (session by session, turn by turn): drawn, or the file's pairs cycled. */
function lengthSource(spec: PromptSetSpec, rng: Mt19937): () => LengthPair {
  if (spec.lengthFile !== null) {
    const pairs = readLengthFile(spec.lengthFile);
    let next = 0;
    return () => pairs[next++ % pairs.length]!;
  }
  return () => ({ inputTokens: drawLength(spec.input, rng), outputTokens: drawLength(spec.output, rng) });
}

/** `count` vocabulary words joined by single spaces: exactly `count` tokens. */
export function randomWords(rng: Mt19937, count: number): string {
  const words = new Array<string>(count);
  for (let i = 0; i < count; i++) words[i] = WORDS[uniformInt(rng, 0, WORDS.length - 1)]!;
  return words.join(' ');
}
