import cliProgress from 'cli-progress';
import { scoreAccuracyRun } from '../accuracy/score-run.js';
import type { Recorder } from '../loadgen/recorder.js';
import { type RunPhase, runTest } from '../loadgen/run-test.js';
import type { TestSettings } from '../loadgen/settings.js';
import { buildResult } from '../results/build-result.js';
import { DetailStream } from '../results/detail-stream.js';
import { formatSummary } from '../results/format-summary.js';
import { ResultWriter, runIdFor } from '../results/result-writer.js';
import { detectSystem } from '../results/system-info.js';
import type { AccuracyResult, OutputsRecord, RunResult, SystemDescription } from '../results/types.js';
import { finishLlmOutcome } from './llm-outcome.js';
import type { PreparedRun } from './prepare-run.js';

const DETAIL_FLUSH_MS = 500;

export interface RecordOptions {
  /** The settings of this run (a sweep changes targetQps and run length per probe). */
  readonly settings: TestSettings;
  readonly requested: Record<string, unknown>;
  readonly outputRoot: string;
  readonly signal: AbortSignal;
  /** A progress line on stderr (only when it is a terminal). */
  readonly progress: boolean;
  /** Detected once per process; a sweep passes it to every probe. */
  readonly system?: SystemDescription;
  /** Accuracy mode: a reference run's outputs.bin to compare with (`--reference-outputs`). */
  readonly referenceOutputs?: string | null;
}

export interface RecordedRun {
  readonly result: RunResult;
  readonly dir: string;
}

/**
 * One run of a prepared backend, recorded as a result folder: detail.jsonl streamed while it
 * runs, then result.json (schema-checked) and summary.txt. Used by `run` and by `sweep` probes.
 */
export async function recordRun(prepared: PreparedRun, options: RecordOptions): Promise<RecordedRun> {
  const { bundle, clock, workload } = prepared;
  const { settings } = options;
  const startedAt = new Date();
  const runId = runIdFor(settings.scenario, startedAt);
  const writer = await ResultWriter.create(options.outputRoot, runId);
  const detail = new DetailStream((record) => writer.appendDetail(record));
  const progress = options.progress && process.stderr.isTTY === true ? newProgressBar() : null;
  let current: { phase: RunPhase; recorder: Recorder } | null = null;
  const tick = setInterval(() => {
    detail.flush(clock.nowNs());
    if (progress && current) progress.update(current.recorder.doneQueries, { phase: current.phase, issued: current.recorder.queryCount });
  }, DETAIL_FLUSH_MS);
  tick.unref();
  writer.appendDetail({ type: 'run', runId, startedAt: startedAt.toISOString(), workload: workload.source, settings });
  bundle.keepOutputs(settings.mode === 'accuracy');
  try {
    const system = options.system ?? (await detectSystem());
    progress?.start(0, 0, { phase: 'load', issued: 0 });
    const ran = await runTest(bundle.sut, bundle.qsl, settings, {
      clock,
      signal: options.signal,
      collectGarbageFirst: true,
      ...(bundle.heldBackQueries ? { heldBackQueries: bundle.heldBackQueries } : {}),
      onPhase: (phase, recorder) => {
        detail.startPhase(phase, recorder, clock.nowNs());
        current = { phase, recorder };
        if (phase === 'measure') bundle.onMeasuredStart();
      },
    });
    clearInterval(tick);
    detail.flush(clock.nowNs());
    progress?.stop();
    const finished = prepared.llm ? finishLlmOutcome(ran, prepared.llm) : { outcome: ran, llm: null };
    const { outcome } = finished;
    let accuracy: AccuracyResult | null = null;
    let outputs: OutputsRecord | null = null;
    const notes: string[] = [];
    if (settings.mode === 'accuracy') {
      const scored = await scoreAccuracyRun({
        recorder: outcome.recorder,
        datasetSize: workload.dataset.sampleCount,
        label: bundle.label,
        workloadMetric: workload.accuracy,
        referencePath: options.referenceOutputs ?? null,
        runDir: writer.dir,
      });
      ({ accuracy, outputs } = scored);
      notes.push(...scored.notes);
    }
    const result = buildResult(outcome, {
      runId,
      startedAt,
      workload: { name: workload.name, source: workload.source, precision: workload.precision, calibration: workload.calibration },
      model: bundle.model,
      backend: { ...bundle.backend, settings: { ...bundle.backend.settings, batchSizesFormed: bundle.batchSizes() } },
      system,
      requestedSettings: options.requested,
      notes: [...bundle.model.assumptions, ...notes],
      accuracy,
      remote: bundle.remote?.() ?? null,
      llm: finished.llm,
      outputs,
      // process.resourceUsage().maxRSS is in KiB on every platform (libuv normalises it).
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    });
    await writer.finish(result, formatSummary(result, { color: false }));
    return { result, dir: writer.dir };
  } finally {
    clearInterval(tick);
    progress?.stop();
    await writer.close();
  }
}

function newProgressBar(): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{phase} | {value} queries done, {issued} issued | {duration_formatted}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
}
