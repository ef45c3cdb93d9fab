/**
 * What an LLM prompt set is made of: how many prompts, how long their inputs and requested
 * outputs are, whether they share a prefix or form multi-turn sessions. Lengths are in tokens of
 * the built-in word tokenizer (src/llm/text/word-tokenizer.ts), one token per generated word.
 */

/** A length in tokens: always the same, or drawn uniformly from [min, max] (inclusive). */
export type LengthDistribution =
  | { readonly kind: 'fixed'; readonly tokens: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number };

/** One line of a length file: the input and output length of one prompt. */
export interface LengthPair {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface PromptSetSpec {
  readonly name: string;
  /** Every random choice (lengths, words) follows from this seed; same spec, same prompts. */
  readonly seed: number;
  /** Prompts in the set; for sessions, sessions x turns. */
  readonly count: number;
  /** Words of the user text of each prompt (the shared prefix not included). */
  readonly input: LengthDistribution;
  /** Tokens asked for (max_tokens) per prompt. */
  readonly output: LengthDistribution;
  /** Absolute path of a length file used instead of input/output, cycled in order; null = none. */
  readonly lengthFile: string | null;
  /** The same leading words in every prompt (to expose prefix caching); 0 = none. */
  readonly sharedPrefixTokens: number;
  /** 1 = independent prompts; more = multi-turn sessions of this many turns. */
  readonly turns: number;
}
