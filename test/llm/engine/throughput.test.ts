import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/llm/engine/create-engine.js';
import type { SchedulerName } from '../../../src/llm/engine/types.js';
import { runMixedSet } from './mixed-set.js';

async function tokensPerSecond(scheduler: SchedulerName): Promise<number> {
  const engine = await createEngine({ scheduler, maxBatch: 4, batchWindowMs: 0, intraOpThreads: 1 });
  try {
    await runMixedSet(engine); // warm-up
    let best = 0;
    for (let trial = 0; trial < 2; trial++) {
      const { results, wallMs } = await runMixedSet(engine);
      const tokens = results.reduce((sum, r) => sum + r.tokens.length, 0);
      best = Math.max(best, tokens / (wallMs / 1000));
    }
    return best;
  } finally {
    await engine.close();
  }
}

describe('continuous vs static batching on a mixed-length set', () => {
  it('continuous batching generates more tokens per second', async () => {
    const staticRate = await tokensPerSecond('static');
    const continuousRate = await tokensPerSecond('continuous');
    console.log(`tokens/s on the mixed set: static ${staticRate.toFixed(0)}, continuous ${continuousRate.toFixed(0)}`);
    expect(continuousRate).toBeGreaterThan(staticRate);
  });
});
