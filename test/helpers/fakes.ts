import { NullSut, type NullSutOptions } from '../../src/backends/null-sut.js';
import { BUILTIN_DEFAULTS, type TestSettings } from '../../src/loadgen/settings.js';
import type { Clock, Query, QuerySampleLibrary, ResponseSink, SystemUnderTest } from '../../src/loadgen/types.js';

/** The built-in defaults with a short run and no warmup, so tests state what they vary. */
export const BASE_SETTINGS: TestSettings = {
  ...BUILTIN_DEFAULTS,
  scenario: 'singlestream',
  mode: 'performance',
  minDurationMs: 1000,
  maxDurationMs: 600_000,
  warmupQueryCount: 0,
};

export function settings(overrides: Partial<TestSettings>): TestSettings {
  return { ...BASE_SETTINGS, ...overrides };
}

/** A library of `total` samples with nothing to load; records what was loaded. */
export class FakeLibrary implements QuerySampleLibrary {
  readonly name = 'fake';
  readonly loaded = new Set<number>();
  loadCalls = 0;
  constructor(
    readonly totalSampleCount: number,
    readonly performanceSampleCount: number = totalSampleCount,
  ) {}
  async loadSamples(indices: readonly number[]): Promise<void> {
    this.loadCalls++;
    for (const i of indices) this.loaded.add(i);
  }
  async unloadSamples(indices: readonly number[]): Promise<void> {
    for (const i of indices) this.loaded.delete(i);
  }
}

export function nullSut(clock: Clock, options: Partial<NullSutOptions>): NullSut {
  return new NullSut(clock, {
    serviceTimeNs: 1_000_000,
    distribution: 'constant',
    concurrency: 1,
    seed: '1',
    block: null,
    ...options,
  });
}

/**
 * A SUT whose behaviour per sample is given by a function of the sample's dataset index and
 * response id: answer after `delayNs`, fail, or never answer.
 */
export class ScriptedSut implements SystemUnderTest {
  readonly name = 'scripted';
  readonly issued: Query[] = [];
  constructor(
    private readonly clock: Clock,
    private readonly behaviour: (sampleId: number, index: number) => { delayNs: number } | 'fail' | 'lose',
  ) {}
  issueQuery(query: Query, sink: ResponseSink): void {
    this.issued.push({ ...query, sampleIndices: query.sampleIndices.slice() });
    for (let i = 0; i < query.count; i++) {
      const id = query.firstSampleId + i;
      const b = this.behaviour(id, query.sampleIndices[i]!);
      if (b === 'lose') continue;
      if (b === 'fail') this.clock.at(this.clock.nowNs(), () => sink.fail(id, new Error('scripted failure')));
      else this.clock.at(this.clock.nowNs() + b.delayNs, () => sink.complete(id, { data: id }));
    }
  }
  flushQueries(): void {}
}
