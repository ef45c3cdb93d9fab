import { basename } from 'node:path';
import type { PreparedRun } from '../cli/prepare-run.js';
import { recordRun } from '../cli/record-run.js';
import type { SystemDescription } from '../results/types.js';
import { calibrateStartQps } from './calibrate-start.js';
import { childSignal } from './child-signal.js';
import { serverPoint } from './point.js';
import { sweepRunSettings } from './probe-settings.js';
import type { SweepRunner } from './runner.js';
import type { SweepPoint, SweepPointKind } from './types.js';

export interface RecordedRunnerOptions {
  readonly prepared: PreparedRun;
  /** The sweep folder: each run's folder goes inside it. */
  readonly sweepDir: string;
  readonly probeDurationMs: number;
  readonly system: SystemDescription;
  readonly signal: AbortSignal;
  readonly progress: boolean;
}

/** Records every sweep point as a normal result folder, reusing one backend session. */
export class RecordedRunner implements SweepRunner {
  readonly #o: RecordedRunnerOptions;

  constructor(options: RecordedRunnerOptions) {
    this.#o = options;
  }

  calibrateQps(): Promise<{ qps: number; note: string }> {
    const { prepared, signal } = this.#o;
    return calibrateStartQps(prepared.clock, prepared.bundle.sut, prepared.bundle.qsl, prepared.settings, signal);
  }

  async measure(kind: SweepPointKind, qps: number): Promise<SweepPoint> {
    const { prepared, sweepDir, probeDurationMs, system, signal, progress } = this.#o;
    const settings = sweepRunSettings(prepared.settings, kind, qps, probeDurationMs);
    const run = childSignal(signal);
    const { result, dir } = await recordRun(prepared, {
      settings,
      requested: { ...prepared.requested, sweep: { kind, targetQps: qps } },
      outputRoot: sweepDir,
      signal: run.signal,
      progress,
      system,
    }).finally(run.dispose);
    return serverPoint({
      kind,
      offeredQps: qps,
      summary: result.summary,
      checks: result.validity.checks,
      valid: result.status === 'completed' && result.validity.valid,
      runId: result.runId,
      resultDir: basename(dir),
    });
  }
}
