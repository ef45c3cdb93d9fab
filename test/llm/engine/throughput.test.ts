import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/llm/engine/create-engine.js';
import type { GenerationEngine } from '../../../src/llm/engine/types.js';
import { runMixedSet } from './mixed-set.js';

// Long and short sequences alternating: static batching decodes 2 x 255 steps at batch 4,
// continuous batching about half as many batch-4 steps; long enough that the difference
// outweighs the noise of a shared machine.
const MIXED = [8, 256, 8, 256, 8, 256, 8, 256];

async function tokensPerSecond(engine: GenerationEngine): Promise<number> {
  const { results, wallMs } = await runMixedSet(engine, MIXED);
  return results.reduce((sum, r) => sum + r.tokens.length, 0) / (wallMs / 1000);
}

describe('continuous vs static batching on a mixed-length set', () => {
  it('continuous batching generates more tokens per second', async () => {
    const options = { maxBatch: 4, batchWindowMs: 0, intraOpThreads: 1 };
    const staticEngine = await createEngine({ ...options, scheduler: 'static' });
    const continuousEngine = await createEngine({ ...options, scheduler: 'continuous' });
    try {
      await tokensPerSecond(staticEngine);
      await tokensPerSecond(continuousEngine);
      // Interleaved trials, best of each, so a burst of load elsewhere hits both alike.
      let staticRate = 0;
      let continuousRate = 0;
      for (let trial = 0; trial < 3; trial++) {
        staticRate = Math.max(staticRate, await tokensPerSecond(staticEngine));
        continuousRate = Math.max(continuousRate, await tokensPerSecond(continuousEngine));
      }
      console.log(`tokens/s on the mixed set: static ${staticRate.toFixed(0)}, continuous ${continuousRate.toFixed(0)}`);
      expect(continuousRate).toBeGreaterThan(staticRate);
    } finally {
      await Promise.all([staticEngine.close(), continuousEngine.close()]);
    }
  });
});
