import type { PhaseContext } from '../phase.js';
import { accuracyOrder } from '../plan.js';
import type { TestSettings } from '../settings.js';
import type { QuerySampleLibrary } from '../types.js';
import { runClosedLoop } from './closed-loop.js';
import { runOffline } from './offline.js';

/**
 * Accuracy mode: every dataset sample exactly once, in a seeded order, loaded a performance
 * set at a time. Queries keep the scenario's shape (one query per chunk for Offline, the
 * samples-per-query of MultiStream) and are issued closed-loop: pacing is irrelevant here.
 */
export async function runAccuracy(ctx: PhaseContext, qsl: QuerySampleLibrary, settings: TestSettings, psc: number): Promise<number> {
  const order = accuracyOrder(qsl.totalSampleCount, settings.seeds.sampleSet);
  const startNs = ctx.clock.nowNs();
  for (let from = 0; from < order.length && !ctx.signal.aborted; from += psc) {
    const chunk = order.subarray(from, Math.min(order.length, from + psc));
    await qsl.loadSamples(Array.from(chunk));
    try {
      if (settings.scenario === 'offline') {
        await runOffline(ctx, chunk);
      } else {
        const perQuery = settings.scenario === 'multistream' ? settings.samplesPerQuery : 1;
        let next = 0;
        await runClosedLoop(
          ctx,
          () => {
            const indices = chunk.subarray(next, Math.min(chunk.length, next + perQuery));
            next += indices.length;
            return indices;
          },
          () => next < chunk.length,
        );
      }
    } finally {
      await qsl.unloadSamples(Array.from(chunk));
    }
  }
  return startNs;
}
