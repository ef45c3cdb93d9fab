import { runTest } from '../loadgen/run-test.js';
import type { TestSettings } from '../loadgen/settings.js';
import type { Clock, QuerySampleLibrary, SystemUnderTest } from '../loadgen/types.js';
import { calibrateStartQps } from './calibrate-start.js';
import { childSignal } from './child-signal.js';
import { serverPoint } from './point.js';
import { sweepRunSettings } from './probe-settings.js';
import type { SweepRunner } from './runner.js';
import type { SweepPoint, SweepPointKind } from './types.js';

export interface InProcessRunnerOptions {
  readonly sut: SystemUnderTest;
  readonly qsl: QuerySampleLibrary;
  readonly clock: Clock;
  /** Server settings: the confirmation's; probes shorten them. */
  readonly settings: TestSettings;
  readonly probeDurationMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Runs each sweep point with runTest directly and writes nothing: on the virtual clock a whole
 * peak search is exact and takes seconds. Points have no result folder; run ids are synthetic.
 */
export class InProcessRunner implements SweepRunner {
  readonly #options: InProcessRunnerOptions;
  readonly #signal: AbortSignal;
  #count = 0;

  constructor(options: InProcessRunnerOptions) {
    this.#options = options;
    this.#signal = options.signal ?? new AbortController().signal;
  }

  calibrateQps(): Promise<{ qps: number; note: string }> {
    const { clock, sut, qsl, settings } = this.#options;
    return calibrateStartQps(clock, sut, qsl, settings, this.#signal);
  }

  async measure(kind: SweepPointKind, qps: number): Promise<SweepPoint> {
    const { clock, sut, qsl, settings, probeDurationMs } = this.#options;
    const run = childSignal(this.#signal);
    const outcome = await runTest(sut, qsl, sweepRunSettings(settings, kind, qps, probeDurationMs), { clock, signal: run.signal, collectGarbageFirst: true }).finally(run.dispose);
    this.#count++;
    return serverPoint({
      kind,
      offeredQps: qps,
      summary: outcome.summary,
      checks: outcome.checks,
      valid: outcome.status === 'completed' && outcome.checks.every((c) => c.passed),
      runId: `in-process-${this.#count}-${kind}`,
      resultDir: null,
    });
  }
}
