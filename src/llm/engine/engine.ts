/**
 * The generation engine: a queue of waiting sequences, the running batch, and one loop that
 * prefills new sequences (B = 1, whole prompt) and runs decode steps over the batch (T = 1),
 * yielding to the event loop between steps so a server keeps streaming and accepting. The
 * scheduling policy decides only when waiting sequences join.
 */

import type { DecoderShape } from '../model/config.js';
import type { DecoderSession } from '../model/decoder-session.js';
import type { Tokenizer } from '../text/word-tokenizer.js';
import { DecodeBuffers, decodeFeeds, prefillFeeds } from './decode-batch.js';
import { argmaxRow } from './greedy.js';
import type { SchedulingPolicy } from './scheduling-policy.js';
import { Sequence } from './sequence.js';
import { SequenceCache } from './sequence-cache.js';
import type {
  EngineStats,
  GenerationEngine,
  GenerationRequest,
  SchedulerName,
  SubmittedGeneration,
} from './types.js';

export interface EngineSettings {
  readonly scheduler: SchedulerName;
  readonly policy: SchedulingPolicy;
  readonly maxBatch: number;
  readonly batchWindowMs: number;
  readonly modelName: string;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Engine implements GenerationEngine {
  readonly scheduler: SchedulerName;
  readonly tokenizer: Tokenizer;
  readonly maxContext: number;
  readonly maxBatch: number;
  readonly modelName: string;
  readonly #session: DecoderSession;
  readonly #shape: DecoderShape;
  readonly #policy: SchedulingPolicy;
  readonly #batchWindowMs: number;
  readonly #waiting: Sequence[] = [];
  /** The running batch, in admission order (the row order of decode steps). */
  #rows: Sequence[] = [];
  #loop: Promise<void> | null = null;
  #looping = false;
  #wake: (() => void) | null = null;
  #closed = false;
  #released: Promise<void> | null = null;
  #prefillSteps = 0;
  #decodeSteps = 0;
  #generatedTokens = 0;
  #finishedSequences = 0;
  readonly #decodeBatchSizes: number[];
  readonly #buffers = new DecodeBuffers();

  constructor(session: DecoderSession, tokenizer: Tokenizer, settings: EngineSettings) {
    this.#session = session;
    this.#shape = session.shape;
    this.tokenizer = tokenizer;
    this.scheduler = settings.scheduler;
    this.#policy = settings.policy;
    this.maxBatch = settings.maxBatch;
    this.#batchWindowMs = settings.batchWindowMs;
    this.modelName = settings.modelName;
    this.maxContext = session.shape.contextLength;
    this.#decodeBatchSizes = new Array<number>(settings.maxBatch + 1).fill(0);
  }

  submit(request: GenerationRequest): SubmittedGeneration {
    // An empty prompt starts from beginning-of-sequence, so there is a position to predict from.
    const prompt = request.promptTokens.length > 0 ? request.promptTokens : Int32Array.of(this.tokenizer.bosId);
    const sequence = new Sequence(request, prompt, performance.now());
    const problem = this.#closed ? 'the engine is closed' : this.#validate(request, prompt);
    if (problem !== null) {
      // Callbacks never run inside submit(): the caller may not have finished setting up.
      sequence.state = 'running';
      queueMicrotask(() => sequence.fail(new Error(problem)));
      return { cancel: () => sequence.cancel() };
    }
    this.#waiting.push(sequence);
    this.#kick();
    return {
      cancel: () => {
        const at = this.#waiting.indexOf(sequence);
        if (at >= 0) this.#waiting.splice(at, 1);
        sequence.cancel();
      },
    };
  }

  stats(): EngineStats {
    return {
      scheduler: this.scheduler,
      waiting: this.#waiting.length,
      running: this.#rows.filter((s) => !s.done).length,
      prefillSteps: this.#prefillSteps,
      decodeSteps: this.#decodeSteps,
      generatedTokens: this.#generatedTokens,
      finishedSequences: this.#finishedSequences,
      decodeBatchSizes: [...this.#decodeBatchSizes],
    };
  }

  close(): Promise<void> {
    if (this.#released) return this.#released;
    this.#closed = true;
    const error = new Error('the generation engine was closed');
    for (const sequence of [...this.#waiting, ...this.#rows]) sequence.fail(error);
    this.#waiting.length = 0;
    this.#wake?.();
    this.#released = (async () => {
      await this.#loop;
      this.#rows = [];
      await this.#session.release();
    })();
    return this.#released;
  }

  #validate(request: GenerationRequest, prompt: Int32Array): string | null {
    if (!Number.isInteger(request.maxTokens) || request.maxTokens < 1) {
      return `maxTokens must be a positive integer, got ${request.maxTokens}`;
    }
    if (prompt.length + request.maxTokens > this.maxContext) {
      return `prompt (${prompt.length} tokens) + maxTokens (${request.maxTokens}) exceeds the context of ${this.maxContext}`;
    }
    const vocabularySize = this.#shape.vocabularySize;
    const bad = prompt.find((id) => id < 0 || id >= vocabularySize);
    if (bad !== undefined) return `prompt token ${bad} is outside the vocabulary [0, ${vocabularySize})`;
    return null;
  }

  #kick(): void {
    this.#wake?.();
    if (this.#looping) return;
    this.#looping = true;
    this.#loop = this.#run();
  }

  /** Runs until the engine is idle or closed; #looping drops synchronously with the decision to stop. */
  async #run(): Promise<void> {
    await yieldToEventLoop();
    while (!this.#closed) {
      try {
        await this.#turn();
      } catch (error) {
        // A bug, not a model error (those fail their sequences): fail the batch, keep serving.
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const sequence of this.#rows) sequence.fail(failure);
        this.#rows = [];
      }
      if (this.#waiting.length === 0 && this.#rows.length === 0) break;
      await yieldToEventLoop();
    }
    this.#looping = false;
  }

  async #turn(): Promise<void> {
    const admission = this.#policy.admission({
      waiting: this.#waiting.length,
      rows: this.#rows.length,
      maxBatch: this.maxBatch,
      batchWindowMs: this.#batchWindowMs,
      oldestWaitingSinceMs: this.#waiting[0]?.submittedAtMs,
      nowMs: performance.now(),
    });
    if (admission.kind === 'wait') {
      await this.#sleepUntil(admission.untilMs);
      return;
    }
    for (const sequence of this.#waiting.splice(0, admission.count)) await this.#prefill(sequence);
    if (this.#rows.some((s) => !s.done)) await this.#decodeStep();
    this.#retireRows();
  }

  async #prefill(sequence: Sequence): Promise<void> {
    if (sequence.done || this.#closed) return;
    sequence.state = 'running';
    const prompt = sequence.prompt;
    try {
      const result = await this.#session.run(prefillFeeds(this.#shape, prompt));
      this.#prefillSteps++;
      if (sequence.done) return;
      const cache = new SequenceCache(this.#shape, prompt.length + sequence.request.maxTokens);
      cache.append(result, 0, prompt.length, 0, prompt.length);
      sequence.cache = cache;
      this.#rows.push(sequence);
      this.#deliver(sequence, result.logits, 0);
    } catch (error) {
      sequence.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** One T = 1 step over every row; finished rows (static batching) ride along as padding. */
  async #decodeStep(): Promise<void> {
    const rows = this.#rows;
    const feeds = decodeFeeds(
      this.#shape,
      rows.map((s) => ({ cache: s.cache!, token: s.done ? this.tokenizer.padId : s.lastToken })),
      this.#buffers,
    );
    let result: Awaited<ReturnType<DecoderSession['run']>>;
    try {
      result = await this.#session.run(feeds);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const sequence of rows) sequence.fail(failure);
      return;
    }
    this.#decodeSteps++;
    this.#decodeBatchSizes[rows.length] = (this.#decodeBatchSizes[rows.length] ?? 0) + 1;
    rows.forEach((sequence, row) => {
      if (sequence.done) return;
      // A padding row's cache stays frozen; an active row's cache gains the token it fed.
      sequence.cache!.append(result, row, feeds.pastCount + 1, feeds.pastCount, 1);
      this.#deliver(sequence, result.logits, row);
    });
  }

  #deliver(sequence: Sequence, logits: Float32Array, row: number): void {
    const { eosId } = this.tokenizer;
    const excluded = sequence.request.stopAtEos ? -1 : eosId;
    const token = argmaxRow(logits, row, this.#shape.vocabularySize, excluded);
    if (sequence.accept(token, eosId)) this.#generatedTokens++;
    if (sequence.outcome === 'finished') this.#finishedSequences++;
  }

  #retireRows(): void {
    if (this.#policy.holdsFinishedRows) {
      if (this.#rows.every((s) => s.done)) this.#rows = [];
    } else {
      this.#rows = this.#rows.filter((s) => !s.done);
    }
  }

  #sleepUntil(untilMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, untilMs - performance.now()));
      this.#wake = wake;
    });
  }
}
