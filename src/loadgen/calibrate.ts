import { issueQuery, type PhaseContext } from './phase.js';
import { Recorder } from './recorder.js';
import type { Clock, SystemUnderTest } from './types.js';

/** How long the saturation measurement keeps the SUT busy, and with how many queries. */
export const SATURATION_DURATION_NS = 1_500_000_000;
export const SATURATION_IN_FLIGHT = 4;
/** Server's calibrated rate starts at this share of the saturated rate (run and sweep alike). */
export const CALIBRATED_RATE_SHARE = 0.5;
/** Offline without --offline-expected-qps: the query is sized for this multiple of the measured rate. */
export const OFFLINE_CALIBRATION_HEADROOM = 1.4;
/**
 * LLM servers speed up with more streams in flight (larger decode batches), and the measured
 * query holds more of them than the calibration query: size token runs with more headroom.
 */
export const OFFLINE_TOKEN_CALIBRATION_HEADROOM = 2;

export interface Calibration {
  readonly samplesPerSecond: number;
  readonly sampleCount: number;
  readonly durationNs: number;
  readonly method: string;
}

/**
 * Measures how many single-sample queries per second the SUT completes when it is kept busy
 * (`outstanding` queries always in flight) for about `durationNs`, ignoring the first fifth
 * as ramp-up. Used to pick a Server rate when the user gave none.
 */
export function measureSaturatedRate(
  clock: Clock,
  sut: SystemUnderTest,
  set: Int32Array,
  durationNs: number,
  outstanding: number,
  signal: AbortSignal,
): Promise<Calibration> {
  const recorder = new Recorder(clock);
  const ctx: PhaseContext = { clock, sut, recorder, signal, queryTimeoutNs: Math.max(durationNs, 5e9) };
  const startNs = clock.nowNs();
  const rampEndNs = startNs + durationNs / 5;
  let next = 0;
  let doneAfterRamp = 0;
  let stopping = false;
  return new Promise((resolve) => {
    const issueOne = (): void => {
      const indices = set.subarray(next % set.length, (next % set.length) + 1);
      next++;
      issueQuery(ctx, recorder.addQuery(clock.nowNs(), 1), indices);
    };
    recorder.onQueryDone(() => {
      const now = clock.nowNs();
      if (now >= rampEndNs) doneAfterRamp++;
      if (now - startNs >= durationNs || signal.aborted) stopping = true;
      if (!stopping) clock.at(now, issueOne);
      else if (recorder.outstandingSamples === 0) {
        const measuredNs = now - rampEndNs;
        resolve({
          samplesPerSecond: measuredNs > 0 ? doneAfterRamp / (measuredNs / 1e9) : 0,
          sampleCount: doneAfterRamp,
          durationNs: measuredNs,
          method: `${outstanding} single-sample queries kept in flight for ${(durationNs / 1e9).toFixed(1)} s`,
        });
      }
    });
    for (let i = 0; i < outstanding; i++) issueOne();
  });
}

/**
 * Offline sizing: issues growing Offline-style queries until one takes at least `targetNs`,
 * then one more of that size, and returns the faster of the two: the first full-size query
 * often still pays for warm-up (a runtime's first large batches, a neighbour's burst), and
 * an estimate that reads low ends the measured query before the minimum duration.
 */
export async function measureOfflineRate(
  clock: Clock,
  sut: SystemUnderTest,
  set: Int32Array,
  targetNs: number,
  signal: AbortSignal,
): Promise<Calibration> {
  let count = Math.max(1, Math.min(set.length, 64));
  for (;;) {
    const { elapsedNs, completed } = await timeOfflineQuery(clock, sut, set, count, signal);
    if (completed === 0) {
      // Nothing succeeded: failures are fast, and sizing on them would grow the query without
      // bound. The measured run goes ahead at this size and records the failures.
      return { samplesPerSecond: elapsedNs > 0 ? count / (elapsedNs / 1e9) : count, sampleCount: count, durationNs: elapsedNs, method: `one Offline-style query of ${count} samples, none of which succeeded` };
    }
    if (elapsedNs >= targetNs || count >= 1 << 24 || signal.aborted) {
      const againNs = signal.aborted ? elapsedNs : (await timeOfflineQuery(clock, sut, set, count, signal)).elapsedNs;
      const bestNs = Math.min(elapsedNs, againNs);
      return {
        samplesPerSecond: bestNs > 0 ? count / (bestNs / 1e9) : count,
        sampleCount: count,
        durationNs: bestNs,
        method: `the faster of two Offline-style queries of ${count} samples (${(elapsedNs / 1e6).toFixed(0)} and ${(againNs / 1e6).toFixed(0)} ms)`,
      };
    }
    count *= elapsedNs > 0 ? Math.min(16, Math.max(2, Math.ceil(targetNs / elapsedNs))) : 16;
  }
}

async function timeOfflineQuery(
  clock: Clock,
  sut: SystemUnderTest,
  set: Int32Array,
  count: number,
  signal: AbortSignal,
): Promise<{ elapsedNs: number; completed: number }> {
  const recorder = new Recorder(clock);
  const ctx: PhaseContext = { clock, sut, recorder, signal, queryTimeoutNs: 60e9 };
  const indices = new Int32Array(count);
  for (let i = 0; i < count; i++) indices[i] = set[i % set.length]!;
  const startNs = clock.nowNs();
  await new Promise<void>((resolve) => {
    recorder.onQueryDone(() => resolve());
    issueQuery(ctx, recorder.addQuery(startNs, count), indices);
    sut.flushQueries();
  });
  return { elapsedNs: clock.nowNs() - startNs, completed: recorder.completedSamples };
}
