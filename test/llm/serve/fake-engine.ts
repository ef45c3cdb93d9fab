import type { EngineStats, FinishReason, GenerationEngine, GenerationRequest, SchedulerName, SubmittedGeneration } from '../../../src/llm/engine/types.js';
import { WordTokenizer } from '../../../src/llm/text/word-tokenizer.js';

export interface FakeEngineOptions {
  /** One timer per step: every running sequence gets its next token when it fires. */
  readonly stepMs?: number;
  readonly maxBatch?: number;
  readonly maxContext?: number;
  /** With stopAtEos, the token at this index (0-based) is end-of-sequence. */
  readonly eosAt?: number;
  /** The token ids generated, in turn (default: the words "the of and to in" over and over). */
  readonly tokens?: readonly number[];
}

interface Sequence {
  readonly request: GenerationRequest;
  generated: number;
}

const tokenizer = new WordTokenizer();
/** The default output: token k is FAKE_WORDS[k % 5]. */
export const FAKE_WORDS = ['the', 'of', 'and', 'to', 'in'] as const;
const FAKE_TOKENS = Array.from(tokenizer.encode(FAKE_WORDS.join(' ')));

/** The text the fake engine's first n tokens decode to. */
export function fakeText(n: number): string {
  return Array.from({ length: n }, (_, k) => FAKE_WORDS[k % FAKE_WORDS.length]).join(' ');
}

/**
 * A GenerationEngine whose tokens and timing are known: continuous batching of up to maxBatch
 * sequences, one step per stepMs, each running sequence one token per step (its first in the
 * step that admits it, as a prefill would give).
 */
export class FakeEngine implements GenerationEngine {
  readonly scheduler: SchedulerName = 'continuous';
  readonly tokenizer = tokenizer;
  readonly maxContext: number;
  readonly maxBatch: number;
  readonly modelName = 'fake-llm';
  /** Every request submitted, the warm-up included. */
  readonly submitted: GenerationRequest[] = [];
  cancelled = 0;
  /** Set: every sequence fails (onError) after this many tokens (set it after the warm-up). */
  failAfter: number | undefined;
  closed = false;
  readonly #options: FakeEngineOptions;
  readonly #tokens: readonly number[];
  readonly #waiting: Sequence[] = [];
  readonly #running: Sequence[] = [];
  #timer: NodeJS.Timeout | null = null;
  #prefillSteps = 0;
  #decodeSteps = 0;
  #generated = 0;
  #finished = 0;
  readonly #batchSizes: number[] = [];

  constructor(options: FakeEngineOptions = {}) {
    this.#options = options;
    this.maxContext = options.maxContext ?? 64;
    this.maxBatch = options.maxBatch ?? 4;
    this.#tokens = options.tokens ?? FAKE_TOKENS;
  }

  submit(request: GenerationRequest): SubmittedGeneration {
    if (this.closed) throw new Error('fake engine: closed');
    this.submitted.push(request);
    const sequence: Sequence = { request, generated: 0 };
    this.#waiting.push(sequence);
    this.#schedule();
    return {
      cancel: () => {
        if (this.#remove(sequence)) this.cancelled++;
      },
    };
  }

  stats(): EngineStats {
    return {
      scheduler: this.scheduler,
      waiting: this.#waiting.length,
      running: this.#running.length,
      prefillSteps: this.#prefillSteps,
      decodeSteps: this.#decodeSteps,
      generatedTokens: this.#generated,
      finishedSequences: this.#finished,
      decodeBatchSizes: [...this.#batchSizes],
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    for (const sequence of [...this.#waiting.splice(0), ...this.#running.splice(0)]) sequence.request.onError(new Error('fake engine: closed'));
  }

  #schedule(): void {
    if (this.#timer === null && !this.closed) this.#timer = setTimeout(() => this.#step(), this.#options.stepMs ?? 5);
  }

  #step(): void {
    this.#timer = null;
    const decoding = this.#running.length;
    if (decoding > 0) {
      this.#decodeSteps++;
      this.#batchSizes[decoding] = (this.#batchSizes[decoding] ?? 0) + 1;
    }
    while (this.#running.length < this.maxBatch && this.#waiting.length > 0) {
      this.#running.push(this.#waiting.shift()!);
      this.#prefillSteps++;
    }
    for (const sequence of [...this.#running]) this.#advance(sequence);
    if (this.#running.length > 0 || this.#waiting.length > 0) this.#schedule();
  }

  #advance(sequence: Sequence): void {
    const { request } = sequence;
    if (this.failAfter !== undefined && sequence.generated >= this.failAfter) {
      this.#remove(sequence);
      request.onError(new Error('fake engine: model failure'));
      return;
    }
    const eos = request.stopAtEos && sequence.generated === this.#options.eosAt;
    const token = eos ? tokenizer.eosId : this.#tokens[sequence.generated % this.#tokens.length]!;
    sequence.generated++;
    this.#generated++;
    request.onToken(token);
    const reason: FinishReason | null = eos ? 'stop' : sequence.generated >= request.maxTokens ? 'length' : null;
    if (reason !== null) {
      this.#remove(sequence);
      this.#finished++;
      request.onFinish(reason);
    }
  }

  #remove(sequence: Sequence): boolean {
    for (const list of [this.#waiting, this.#running]) {
      const at = list.indexOf(sequence);
      if (at >= 0) {
        list.splice(at, 1);
        return true;
      }
    }
    return false;
  }
}
