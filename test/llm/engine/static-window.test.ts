import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/llm/engine/create-engine.js';
import { collectingRequest } from './collect.js';

describe('static batching window in the engine', () => {
  it('a sequence arriving within the window joins the first one in the same batch', async () => {
    const engine = await createEngine({ scheduler: 'static', maxBatch: 4, batchWindowMs: 300, intraOpThreads: 1 });
    try {
      const prompt = engine.tokenizer.encode('the world');
      const first = collectingRequest(prompt, 5);
      const second = collectingRequest(prompt, 5);
      engine.submit(first.request);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(engine.stats().prefillSteps).toBe(0); // still waiting for company
      engine.submit(second.request);
      await Promise.all([first.collected.ended, second.collected.ended]);
      const stats = engine.stats();
      expect(stats.decodeSteps).toBe(4);
      expect(stats.decodeBatchSizes).toEqual([0, 0, 4, 0, 0]);
    } finally {
      await engine.close();
    }
  });
});
