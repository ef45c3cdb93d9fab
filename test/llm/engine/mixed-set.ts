import type { GenerationEngine } from '../../../src/llm/engine/types.js';
import { type Collected, collectingRequest } from './collect.js';

/** 8 sequences, maxTokens alternating 4 and 64, submitted at once; the order they finish in. */
export const MIXED_MAX_TOKENS = [4, 64, 4, 64, 4, 64, 4, 64] as const;

export async function runMixedSet(
  engine: GenerationEngine,
  maxTokensList: readonly number[] = MIXED_MAX_TOKENS,
): Promise<{ finishOrder: number[]; results: Collected[]; wallMs: number }> {
  const finishOrder: number[] = [];
  const prompt = engine.tokenizer.encode('the people of the world');
  const started = performance.now();
  const runs = maxTokensList.map((maxTokens, index) =>
    collectingRequest(prompt, maxTokens, false, () => finishOrder.push(index)),
  );
  for (const run of runs) engine.submit(run.request);
  await Promise.all(runs.map((run) => run.collected.ended));
  return { finishOrder, results: runs.map((run) => run.collected), wallMs: performance.now() - started };
}
