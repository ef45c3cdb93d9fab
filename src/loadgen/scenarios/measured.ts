import { minQueriesForEstimate, minUnderLatencyQueries } from '../early-stopping.js';
import type { PhaseContext } from '../phase.js';
import { ArrivalSchedule, offlineQueryIndices, SampleIndexStream } from '../plan.js';
import type { TestSettings } from '../settings.js';
import { tokenBoundTest } from '../token-summary.js';
import { runClosedLoop } from './closed-loop.js';
import { runOffline } from './offline.js';
import { runServer } from './server.js';

/**
 * The measured window of a performance run: sizes the run from the settings (saying how in
 * `notes`), runs the scenario and returns its start time.
 */
export async function runMeasured(ctx: PhaseContext, settings: TestSettings, set: Int32Array, notes: string[]): Promise<number> {
  const fraction = settings.latencyPercentile / 100;
  const confidence = settings.earlyStoppingConfidence;
  const maxDurationNs = settings.maxDurationMs * 1e6;
  const minDurationNs = settings.minDurationMs * 1e6;
  switch (settings.scenario) {
    case 'singlestream':
    case 'multistream': {
      const perQuery = settings.scenario === 'multistream' ? settings.samplesPerQuery : 1;
      const stream = new SampleIndexStream(set, perQuery, settings.seeds.sampleIndex);
      const needed = Math.max(settings.minQueryCount, minQueriesForEstimate(fraction, confidence));
      notes.push(
        `early stopping needs at least ${minQueriesForEstimate(fraction, confidence)} queries for a p${settings.latencyPercentile} estimate; the run continues until ${needed} queries and ${settings.minDurationMs} ms`,
      );
      const { startNs } = await runClosedLoop(ctx, () => stream.next(), (issued, elapsedNs) => {
        if (elapsedNs >= maxDurationNs) return false;
        if (settings.maxQueryCount > 0 && issued >= settings.maxQueryCount) return false;
        return issued < needed || elapsedNs < minDurationNs;
      });
      return startNs;
    }
    case 'server': {
      const targetQps = settings.targetQps!;
      const schedule = new ArrivalSchedule(targetQps, settings.seeds.schedule);
      const esMin = minUnderLatencyQueries(0, fraction, confidence);
      schedule.extendPast(minDurationNs);
      schedule.extendTo(Math.max(settings.minQueryCount, esMin), maxDurationNs);
      notes.push(
        `planned ${schedule.length} Poisson arrivals at ${targetQps} QPS before the clock started (min duration ${settings.minDurationMs} ms, at least ${Math.max(settings.minQueryCount, esMin)} queries; early stopping needs ${esMin} with none over the bound)`,
      );
      const outcome = await runServer(ctx, {
        schedule,
        samples: new SampleIndexStream(set, 1, settings.seeds.sampleIndex),
        initialQueryCount: schedule.length,
        maxDurationNs,
        maxQueryCount: settings.maxQueryCount,
        latencyBoundNs: (settings.latencyBoundMs ?? Number.POSITIVE_INFINITY) * 1e6,
        ...(settings.tokenLatencies ? { overTokenBound: tokenBoundTest(ctx.recorder, settings) } : {}),
        percentile: fraction,
        confidence,
      });
      if (outcome.extensions > 0) {
        notes.push(`the plan was extended ${outcome.extensions}x (same seeded stream) so early stopping could hold`);
      }
      if (outcome.stoppedEarly) notes.push(`issuing stopped early: ${outcome.stoppedEarly}`);
      return outcome.startNs;
    }
    case 'offline': {
      const expected = settings.offlineExpectedQps ?? 1;
      // 1.1 x duration x QPS, truncated as LoadGen's integer cast does; computed as 11/10000 of
      // ms x QPS so that 1.1 x 1 s x 3000 is 3300, not 3300.0000000000005.
      const sampleCount = Math.max(settings.minQueryCount, Math.floor((11 * settings.minDurationMs * expected) / 10_000));
      notes.push(
        `Offline query of ${sampleCount} samples = max(minQueryCount ${settings.minQueryCount}, 1.1 x ${settings.minDurationMs} ms x ${expected} samples/s)`,
      );
      const { startNs } = await runOffline(ctx, offlineQueryIndices(set, sampleCount));
      return startNs;
    }
  }
}

