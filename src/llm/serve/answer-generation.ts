import type { ServerResponse } from 'node:http';
import type { FinishReason, GenerationEngine, SubmittedGeneration } from '../engine/types.js';
import { StreamDecoder } from '../text/word-tokenizer.js';
import type { GenerationPlan } from './generation-plan.js';
import { asOpenAiError } from './openai-error.js';
import { completeResponse, finishChunk, type ResponseIdentity, roleChunk, textChunk, usage, usageChunk } from './openai-responses.js';
import { sendJson } from './send-json.js';

/** How one generation ended, for the server's counters. */
export type GenerationOutcome =
  | { readonly state: 'finished'; readonly completionTokens: number; readonly reason: FinishReason }
  | { readonly state: 'cancelled'; readonly completionTokens: number }
  | { readonly state: 'failed'; readonly completionTokens: number; readonly error: Error };

/**
 * Submits the plan to the engine and answers on `response`: a server-sent event per token as
 * soon as the engine hands it over, or one JSON at the end. A client that goes away cancels
 * the generation. Resolves once the response has ended, never rejects.
 */
export function answerGeneration(engine: GenerationEngine, plan: GenerationPlan, who: ResponseIdentity, response: ServerResponse): Promise<GenerationOutcome> {
  const answer = plan.stream ? new StreamingAnswer(engine, plan, who, response) : new WholeAnswer(engine, plan, who, response);
  return answer.run();
}

/** The part both ways of answering share: submit, count, cancel on disconnect, settle once. */
abstract class Answer {
  protected readonly engine: GenerationEngine;
  protected readonly plan: GenerationPlan;
  protected readonly who: ResponseIdentity;
  protected readonly response: ServerResponse;
  protected completionTokens = 0;
  #settle: (outcome: GenerationOutcome) => void = () => {};
  #settled = false;

  constructor(engine: GenerationEngine, plan: GenerationPlan, who: ResponseIdentity, response: ServerResponse) {
    this.engine = engine;
    this.plan = plan;
    this.who = who;
    this.response = response;
  }

  run(): Promise<GenerationOutcome> {
    const outcome = new Promise<GenerationOutcome>((resolve) => {
      this.#settle = resolve;
    });
    this.start();
    let generation: SubmittedGeneration;
    try {
      generation = this.engine.submit({
        promptTokens: this.plan.promptTokens,
        maxTokens: this.plan.maxTokens,
        stopAtEos: this.plan.stopAtEos,
        onToken: (id) => {
          if (this.#settled) return;
          this.completionTokens++;
          // End-of-sequence counts as generated (as vLLM counts it) but has no text to send.
          if (id !== this.engine.tokenizer.eosId) this.token(id);
        },
        onFinish: (reason) => this.#end(() => this.finish(reason), { state: 'finished', completionTokens: this.completionTokens, reason }),
        onError: (error) => this.#end(() => this.fail(error), { state: 'failed', completionTokens: this.completionTokens, error }),
      });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.#end(() => this.fail(failure), { state: 'failed', completionTokens: 0, error: failure });
      return outcome;
    }
    this.response.once('close', () => {
      if (this.#settled) return;
      generation.cancel();
      this.#settled = true;
      this.#settle({ state: 'cancelled', completionTokens: this.completionTokens });
    });
    return outcome;
  }

  #end(respond: () => void, outcome: GenerationOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    respond();
    this.#settle(outcome);
  }

  protected usageNow(): ReturnType<typeof usage> {
    return usage(this.plan.promptTokens.length, this.completionTokens);
  }

  protected abstract start(): void;
  protected abstract token(id: number): void;
  protected abstract finish(reason: FinishReason): void;
  protected abstract fail(error: Error): void;
}

class StreamingAnswer extends Answer {
  readonly #decoder: StreamDecoder;

  constructor(engine: GenerationEngine, plan: GenerationPlan, who: ResponseIdentity, response: ServerResponse) {
    super(engine, plan, who, response);
    this.#decoder = new StreamDecoder(engine.tokenizer);
  }

  protected start(): void {
    // Each event goes out in its own packet, at once: token timing is what clients measure.
    this.response.socket?.setNoDelay(true);
    this.response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (this.who.api === 'chat') this.#send(roleChunk(this.who, this.#continuousUsage()));
    else this.response.flushHeaders();
  }

  protected token(id: number): void {
    this.#send(textChunk(this.who, this.#decoder.push(id), this.#continuousUsage()));
  }

  protected finish(reason: FinishReason): void {
    this.#send(finishChunk(this.who, this.#decoder.end(), reason, this.#continuousUsage()));
    if (this.plan.includeUsage) this.#send(usageChunk(this.who, this.usageNow()));
    this.#done();
  }

  protected fail(error: Error): void {
    // Headers are out: the error travels as an event (as vLLM sends it), then the stream ends.
    this.#send(asOpenAiError(error).toJson());
    this.#done();
  }

  #continuousUsage(): ReturnType<typeof usage> | undefined {
    return this.plan.continuousUsage ? this.usageNow() : undefined;
  }

  #send(event: unknown): void {
    this.response.write(`data: ${JSON.stringify(event)}\n\n`);
  }

  #done(): void {
    this.response.end('data: [DONE]\n\n');
  }
}

class WholeAnswer extends Answer {
  readonly #ids: number[] = [];

  protected start(): void {}

  protected token(id: number): void {
    this.#ids.push(id);
  }

  protected finish(reason: FinishReason): void {
    const text = this.engine.tokenizer.decode(this.#ids);
    sendJson(this.response, 200, completeResponse(this.who, text, reason, this.usageNow()));
  }

  protected fail(error: Error): void {
    const failure = asOpenAiError(error);
    sendJson(this.response, failure.status, failure.toJson());
  }
}
