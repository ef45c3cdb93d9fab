import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/llm/engine/create-engine.js';
import type { GenerationEngine, SchedulerName } from '../../../src/llm/engine/types.js';
import { MIXED_MAX_TOKENS, runMixedSet } from './mixed-set.js';

const engines: GenerationEngine[] = [];
async function open(scheduler: SchedulerName): Promise<GenerationEngine> {
  const engine = await createEngine({ scheduler, maxBatch: 4, batchWindowMs: 50, intraOpThreads: 1 });
  engines.push(engine);
  return engine;
}
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

// Each sequence gets its first token from its prefill and one more per decode step it is in:
// a 4-token sequence needs 3 decode steps, a 64-token one 63.
describe('scheduler semantics on 8 sequences (maxTokens 4, 64, 4, 64, ...), maxBatch 4', () => {
  it('static: two batches of 4, each decoding until its longest sequence ends: 2 x 63 steps at batch 4', async () => {
    const engine = await open('static');
    const { finishOrder, results } = await runMixedSet(engine);
    expect(results.map((r) => r.tokens.length)).toEqual([...MIXED_MAX_TOKENS]);
    const stats = engine.stats();
    expect(stats.prefillSteps).toBe(8);
    expect(stats.decodeSteps).toBe(126);
    expect(stats.decodeBatchSizes).toEqual([0, 0, 0, 0, 126]);
    // Short ones finish first within their batch, but the second batch waits for the first.
    expect(finishOrder).toEqual([0, 2, 1, 3, 4, 6, 5, 7]);
    expect(stats.generatedTokens).toBe(4 * 4 + 4 * 64);
  });

  it('continuous: freed slots are refilled at once: 72 steps (63 at batch 4, 3 at 2, 6 at 1)', async () => {
    // Steps 1-3: {0,1,2,3}; 0 and 2 end. Steps 4-6: {1,3,4,5}; 4 ends. Steps 7-9: {1,3,5,6}; 6 ends.
    // Steps 10-63: {1,3,5,7}; 1 and 3 end after their 63rd step. 5 joined at step 4: ends at 66;
    // 7 joined at step 10: ends at 72.
    const engine = await open('continuous');
    const { finishOrder, results } = await runMixedSet(engine);
    expect(results.map((r) => r.tokens.length)).toEqual([...MIXED_MAX_TOKENS]);
    const stats = engine.stats();
    expect(stats.prefillSteps).toBe(8);
    expect(stats.decodeSteps).toBe(72);
    expect(stats.decodeBatchSizes).toEqual([0, 6, 3, 0, 63]);
    expect(finishOrder).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
    expect(stats.generatedTokens).toBe(4 * 4 + 4 * 64);
  });

  it('both schedulers produce the same tokens for each sequence', async () => {
    const staticRun = await runMixedSet(await open('static'));
    const continuousRun = await runMixedSet(await open('continuous'));
    expect(continuousRun.results.map((r) => r.tokens)).toEqual(staticRun.results.map((r) => r.tokens));
  });
});
