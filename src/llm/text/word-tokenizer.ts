import { WORDS } from './words.js';

/** A tokenizer as the LLM server and the prompt generator see it. */
export interface Tokenizer {
  readonly vocabSize: number;
  readonly padId: number;
  readonly bosId: number;
  readonly eosId: number;
  encode(text: string): Int32Array;
  decode(ids: ArrayLike<number>): string;
  /** Bytes of one token (a word token carries its leading space). */
  tokenBytes(id: number): Uint8Array;
}

/**
 * Turns a stream of token ids into text deltas: the first token's leading space is dropped
 * (as decode does), and a character split over byte tokens comes out once it is whole.
 */
export class StreamDecoder {
  readonly #tokenizer: Tokenizer;
  readonly #decoder = new TextDecoder();
  #first = true;

  constructor(tokenizer: Tokenizer) {
    this.#tokenizer = tokenizer;
  }

  push(id: number): string {
    let text = this.#decoder.decode(this.#tokenizer.tokenBytes(id), { stream: true });
    if (this.#first && text.length > 0) {
      this.#first = false;
      if (text.startsWith(' ')) text = text.slice(1);
    }
    return text;
  }

  /** What a final incomplete character leaves (U+FFFD), if anything. */
  end(): string {
    return this.#decoder.decode();
  }
}

export const PAD_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;
const BYTE_BASE = 3;
const WORD_BASE = BYTE_BASE + 256;

/**
 * Word-level tokens with a byte fallback, the SentencePiece way: the text gets one leading
 * space, a space followed by a whole vocabulary word is one token (" word"), anything else is
 * one token per UTF-8 byte; decode drops that leading space again, so decode(encode(t)) === t
 * for every string. A prompt of n vocabulary words separated by single spaces is n tokens.
 */
export class WordTokenizer implements Tokenizer {
  readonly vocabSize = WORD_BASE + WORDS.length;
  readonly padId = PAD_ID;
  readonly bosId = BOS_ID;
  readonly eosId = EOS_ID;
  readonly #wordIds = new Map<string, number>(WORDS.map((word, i) => [word, WORD_BASE + i]));
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder();

  encode(text: string): Int32Array {
    const ids: number[] = [];
    const spaced = ` ${text}`;
    let i = 0;
    while (i < spaced.length) {
      const run = spaced[i] === ' ' ? /^[a-z]+/.exec(spaced.slice(i + 1, i + 40)) : null;
      const end = run ? i + 1 + run[0].length : -1;
      const id = run && !/[a-zA-Z]/.test(spaced[end] ?? '') ? this.#wordIds.get(run[0]) : undefined;
      if (id !== undefined) {
        ids.push(id);
        i = end;
        continue;
      }
      // Not a vocabulary word: bytes up to the next space (one code point at least).
      let next = spaced.indexOf(' ', i + 1);
      if (next < 0) next = spaced.length;
      for (const byte of this.#encoder.encode(spaced.slice(i, next))) ids.push(BYTE_BASE + byte);
      i = next;
    }
    return Int32Array.from(ids);
  }

  decode(ids: ArrayLike<number>): string {
    const bytes: number[] = [];
    for (let k = 0; k < ids.length; k++) bytes.push(...this.tokenBytes(ids[k]!));
    const text = this.#decoder.decode(Uint8Array.from(bytes));
    return text.startsWith(' ') ? text.slice(1) : text;
  }

  /** Special tokens (pad, bos, eos) and ids outside the vocabulary have no bytes. */
  tokenBytes(id: number): Uint8Array {
    if (id >= WORD_BASE && id < this.vocabSize) return this.#encoder.encode(` ${WORDS[id - WORD_BASE]!}`);
    if (id >= BYTE_BASE && id < WORD_BASE) return Uint8Array.of(id - BYTE_BASE);
    return new Uint8Array(0);
  }

  /** Whether `id` is a vocabulary word (not a byte or a special token). */
  isWord(id: number): boolean {
    return id >= WORD_BASE && id < this.vocabSize;
  }
}
