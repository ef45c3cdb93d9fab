/**
 * The training text: short documents of sentences from a tiny seeded grammar over the word
 * vocabulary, so that a trained model's greedy output is words in a plausible order rather
 * than byte soup. Every word is a vocabulary word (one token each).
 *
 *   document := sentence (conjunction sentence){0..2} <eos>
 *   sentence := determiner [adjective] noun modal [adverb] verb determiner [adjective] noun [preposition determiner noun]
 */

import { Mt19937, uniformInt } from '../../../loadgen/rng.js';
import { hashSeed } from '../../../workloads/shapes/dataset.js';
import { WordTokenizer } from '../../text/word-tokenizer.js';

const GRAMMAR = {
  determiner: 'the his her their our this every',
  adjective: 'new old big small large little good great young local important different strong free simple open early late red blue green white black long short high public special clear',
  noun: 'school city world man woman child teacher doctor friend father mother boy girl team company house car book story game home room president leader player worker baby animal tree window door letter phone computer movie picture',
  modal: 'would can may',
  adverb: 'never always often really soon quickly slowly also still again',
  verb: 'see make know take find give tell help like want build read watch follow keep bring write buy send hold remember show',
  preposition: 'in on at from with by near behind after before under into through without',
  conjunction: 'and but because so while though',
} as const;

type WordClass = keyof typeof GRAMMAR;

export const CORPUS_DESCRIPTION =
  'documents of 1-3 sentences "determiner [adjective] noun modal [adverb] verb determiner [adjective] noun ' +
  '[preposition determiner noun]" joined by conjunctions and ended by <eos>, words drawn uniformly per class ' +
  '(src/llm/model/training/corpus.ts)';

/** Token ids of each word class, checked against the tokenizer (a word outside the vocabulary is a bug). */
function classIds(tokenizer: WordTokenizer): Record<WordClass, Int32Array> {
  const entries = Object.entries(GRAMMAR).map(([name, words]) => {
    const ids = words.split(' ').map((word) => {
      const encoded = tokenizer.encode(word);
      if (encoded.length !== 1 || !tokenizer.isWord(encoded[0]!)) throw new Error(`grammar word '${word}' is not one vocabulary token`);
      return encoded[0]!;
    });
    return [name, Int32Array.from(ids)];
  });
  return Object.fromEntries(entries) as Record<WordClass, Int32Array>;
}

/** A generator of training documents (token ids, starting with <bos>, ending with <eos>). */
export class GrammarCorpus {
  readonly #tokenizer = new WordTokenizer();
  readonly #classes = classIds(this.#tokenizer);
  readonly #rng: Mt19937;

  constructor(seed: number) {
    this.#rng = new Mt19937(hashSeed(seed, 0x636f_7270));
  }

  #pick(out: number[], wordClass: WordClass): void {
    const ids = this.#classes[wordClass];
    out.push(ids[uniformInt(this.#rng, 0, ids.length - 1)]!);
  }

  #chance(percent: number): boolean {
    return uniformInt(this.#rng, 0, 99) < percent;
  }

  #sentence(out: number[]): void {
    this.#pick(out, 'determiner');
    if (this.#chance(40)) this.#pick(out, 'adjective');
    this.#pick(out, 'noun');
    this.#pick(out, 'modal');
    if (this.#chance(30)) this.#pick(out, 'adverb');
    this.#pick(out, 'verb');
    this.#pick(out, 'determiner');
    if (this.#chance(40)) this.#pick(out, 'adjective');
    this.#pick(out, 'noun');
    if (this.#chance(40)) {
      this.#pick(out, 'preposition');
      this.#pick(out, 'determiner');
      this.#pick(out, 'noun');
    }
  }

  nextDocument(): Int32Array {
    const out: number[] = [this.#tokenizer.bosId];
    const sentences = uniformInt(this.#rng, 1, 3);
    for (let s = 0; s < sentences; s++) {
      if (s > 0) this.#pick(out, 'conjunction');
      this.#sentence(out);
    }
    out.push(this.#tokenizer.eosId);
    return Int32Array.from(out);
  }

  /** A position for a document of `length` tokens to start at, uniform over the context, so every position embedding is trained. */
  nextOffset(length: number, contextLength: number): number {
    return uniformInt(this.#rng, 0, contextLength - length);
  }
}
