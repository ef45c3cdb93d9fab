import { CALIBRATED_RATE_SHARE, measureSaturatedRate, SATURATION_DURATION_NS, SATURATION_IN_FLIGHT } from '../loadgen/calibrate.js';
import { selectSampleSet } from '../loadgen/plan.js';
import type { TestSettings } from '../loadgen/settings.js';
import type { Clock, QuerySampleLibrary, SystemUnderTest } from '../loadgen/types.js';
import { roundQps } from './find-peak.js';

/** The peak search's start rate when the user gave no --start-qps: as `mlbench run` calibrates. */
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
    const cal = await measureSaturatedRate(clock, sut, set, SATURATION_DURATION_NS, SATURATION_IN_FLIGHT, signal);
    const qps = Math.max(1, roundQps(cal.samplesPerSecond * CALIBRATED_RATE_SHARE));
    return {
      qps,
      note: `no --start-qps given: ${cal.samplesPerSecond.toFixed(1)} samples/s at saturation (${cal.method}); the search starts at ${Math.round(CALIBRATED_RATE_SHARE * 100)}% of that, ${qps} QPS`,
    };
  } finally {
    await qsl.unloadSamples(Array.from(set));
  }
}
