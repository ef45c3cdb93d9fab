import type { FinishReason, GenerationEngine, GenerationRequest } from '../../../src/llm/engine/types.js';

/** What one request received, in order, and a promise that settles when it ends. */
export interface Collected {
  readonly tokens: number[];
  readonly finishes: FinishReason[];
  readonly errors: Error[];
  readonly ended: Promise<void>;
}

export function collectingRequest(
  promptTokens: Int32Array,
  maxTokens: number,
  stopAtEos = false,
  onEnd?: () => void,
): { request: GenerationRequest; collected: Collected } {
  const tokens: number[] = [];
  const finishes: FinishReason[] = [];
  const errors: Error[] = [];
  let end!: () => void;
  const ended = new Promise<void>((resolve) => {
    end = resolve;
  });
  const request: GenerationRequest = {
    promptTokens,
    maxTokens,
    stopAtEos,
    onToken: (id) => tokens.push(id),
    onFinish: (reason) => {
      finishes.push(reason);
      onEnd?.();
      end();
    },
    onError: (error) => {
      errors.push(error);
      onEnd?.();
      end();
    },
  };
  return { request, collected: { tokens, finishes, errors, ended } };
}

/** Submits one generation and waits for it to end. */
export async function generate(engine: GenerationEngine, prompt: Int32Array, maxTokens: number): Promise<Collected> {
  const { request, collected } = collectingRequest(prompt, maxTokens);
  engine.submit(request);
  await collected.ended;
  return collected;
}
