import { NullSut } from '../backends/null-sut.js';
import { BUILTIN_DEFAULTS, type TestSettings } from '../loadgen/settings.js';
import type { Clock, QuerySampleLibrary } from '../loadgen/types.js';

/** Samples the null backend "serves": nothing to load, as the CLI's null backend. */
export class NullLibrary implements QuerySampleLibrary {
  readonly name = 'bench-null';
  constructor(
    readonly totalSampleCount = 1024,
    readonly performanceSampleCount = 1024,
  ) {}
  async loadSamples(): Promise<void> {}
  async unloadSamples(): Promise<void> {}
}

/** A null SUT with a constant service time: 0 completes every sample inside issueQuery. */
export function constantNullSut(clock: Clock, serviceTimeNs: number, concurrency = 1): NullSut {
  return new NullSut(clock, { serviceTimeNs, distribution: 'constant', concurrency, seed: '1', block: null });
}

/** Settings with the official seeds and no warmup; each bench sets what it measures. */
export function benchSettings(overrides: Partial<TestSettings> & Pick<TestSettings, 'scenario'>): TestSettings {
  return {
    ...BUILTIN_DEFAULTS,
    mode: 'performance',
    minDurationMs: 1000,
    maxDurationMs: 600_000,
    minQueryCount: 1,
    warmupQueryCount: 0,
    queryTimeoutMs: 60_000,
    ...overrides,
  };
}
