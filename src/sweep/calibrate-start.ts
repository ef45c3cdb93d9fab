import { measureSaturatedRate } from '../loadgen/calibrate.js';
import { selectSampleSet } from '../loadgen/plan.js';
import type { TestSettings } from '../loadgen/settings.js';
import type { Clock, QuerySampleLibrary, SystemUnderTest } from '../loadgen/types.js';
import { roundQps } from './find-peak.js';

/** As `mlbench run` calibrates: half the saturated rate, measured with 4 queries in flight. */
const START_SHARE = 0.5;
const SATURATION_NS = 1_500_000_000;
const IN_FLIGHT = 4;

/** The peak search's start rate when the user gave no --start-qps. */
export async function calibrateStartQps(
  clock: Clock,
  sut: SystemUnderTest,
  qsl: QuerySampleLibrary,
  settings: TestSettings,
  signal: AbortSignal,
): Promise<{ qps: number; note: string }> {
  const psc = Math.min(settings.performanceSampleCount || qsl.performanceSampleCount, qsl.totalSampleCount);
  const set = selectSampleSet(qsl.totalSampleCount, psc, settings.seeds.sampleSet);
  await qsl.loadSamples(Array.from(set));
  try {
    const cal = await measureSaturatedRate(clock, sut, set, SATURATION_NS, IN_FLIGHT, signal);
    const qps = Math.max(1, roundQps(cal.samplesPerSecond * START_SHARE));
    return {
      qps,
      note: `no --start-qps given: ${cal.samplesPerSecond.toFixed(1)} samples/s at saturation (${cal.method}); the search starts at ${Math.round(START_SHARE * 100)}% of that, ${qps} QPS`,
    };
  } finally {
    await qsl.unloadSamples(Array.from(set));
  }
}
