import cliProgress from 'cli-progress';
import { RealClock } from '../loadgen/real-clock.js';
import type { Recorder } from '../loadgen/recorder.js';
import { type RunPhase, runTest } from '../loadgen/run-test.js';
import { buildResult } from '../results/build-result.js';
import { DetailStream } from '../results/detail-stream.js';
import { formatSummary } from '../results/format-summary.js';
import { ResultWriter, runIdFor } from '../results/result-writer.js';
import { detectSystem } from '../results/system-info.js';
import type { AccuracyResult } from '../results/types.js';
import { top1Accuracy } from '../workloads/accuracy.js';
import { loadWorkloadFile, resolveWorkloadPath, workloadForModel } from '../workloads/load-workload.js';
import { DEFAULT_WORKLOAD } from '../workloads/paths.js';
import { buildSut } from './build-sut.js';
import { EXIT, UserError } from './errors.js';
import { resolveSettings } from './resolve-settings.js';
import type { RunFlags } from './run-flags.js';
import { settingsFromFlags } from './run-flags.js';

const DETAIL_FLUSH_NS = 500_000_000;

export function useColor(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && process.env['NO_COLOR'] === undefined;
}

/** `mlbench run`: one benchmark run, end to end. Returns the exit code. */
export async function runCommand(flags: RunFlags): Promise<number> {
  if (flags.model !== undefined && flags.workload !== undefined) {
    throw new UserError('flag', '--model and --workload both given: pick one (a workload file names its own model)');
  }
  const workload =
    flags.model !== undefined
      ? workloadForModel(flags.model, flags['sample-count'])
      : loadWorkloadFile(resolveWorkloadPath(flags.workload ?? DEFAULT_WORKLOAD));
  const { effective, requested } = resolveSettings({
    scenario: flags.scenario,
    mode: flags.mode,
    profile: flags.profile,
    scenarioFile: flags['scenario-file'] ?? null,
    workloadDefaults: workload.defaults,
    flags: settingsFromFlags(flags),
  });
  const clock = new RealClock({ spinWindowNs: flags['issue-spin-us'] * 1000 });
  const bundle = await buildSut(flags, workload, effective, clock);
  const startedAt = new Date();
  const runId = runIdFor(effective.scenario, startedAt);
  const writer = await ResultWriter.create(flags.output, runId);
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(EXIT.aborted);
    process.stderr.write(`\n${signal}: stopping the run; writing what was measured (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const detail = new DetailStream((record) => writer.appendDetail(record));
  const progress = flags.progress && !flags.json && process.stderr.isTTY === true ? newProgressBar() : null;
  let current: { phase: RunPhase; recorder: Recorder } | null = null;
  const tick = setInterval(() => {
    detail.flush(clock.nowNs());
    if (progress && current) progress.update(current.recorder.doneQueries, { phase: current.phase, issued: current.recorder.queryCount });
  }, DETAIL_FLUSH_NS / 1e6);
  tick.unref();
  writer.appendDetail({ type: 'run', runId, startedAt: startedAt.toISOString(), workload: workload.source, settings: effective });
  if (flags.mode === 'accuracy') bundle.keepOutputs(true);

  try {
    const system = await detectSystem();
    progress?.start(0, 0, { phase: 'load', issued: 0 });
    const outcome = await runTest(bundle.sut, bundle.qsl, effective, {
      clock,
      signal: controller.signal,
      onPhase: (phase, recorder) => {
        detail.startPhase(phase, recorder, clock.nowNs());
        current = { phase, recorder };
        if (phase === 'measure') bundle.onMeasuredStart();
      },
    });
    clearInterval(tick);
    detail.flush(clock.nowNs());
    progress?.stop();
    let accuracy: AccuracyResult | null = null;
    const notes: string[] = [];
    if (flags.mode === 'accuracy') {
      if (bundle.label && workload.accuracy) {
        accuracy = top1Accuracy(outcome.recorder, bundle.label, workload.accuracy.target);
      } else {
        notes.push('accuracy mode: this workload has no labels or accuracy metric, so only completion is checked');
      }
    }
    const batchSizes = bundle.batchSizes();
    const result = buildResult(outcome, {
      runId,
      startedAt,
      workload: { name: workload.name, source: workload.source },
      model: bundle.model,
      backend: { ...bundle.backend, settings: { ...bundle.backend.settings, batchSizesFormed: batchSizes } },
      system,
      requestedSettings: requested,
      notes: [...bundle.model.assumptions, ...notes],
      accuracy,
    });
    await writer.finish(result, formatSummary(result, { color: false }));
    const summary = formatSummary(result, { color: useColor(process.stderr) });
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      process.stderr.write(`${summary}\nresults: ${writer.dir}\n`);
    } else {
      process.stdout.write(`${formatSummary(result, { color: useColor(process.stdout) })}\nresults: ${writer.dir}\n`);
    }
    if (result.status === 'aborted') return EXIT.aborted;
    if (result.status === 'failed') return EXIT.runFailed;
    return result.validity.valid ? EXIT.ok : EXIT.invalid;
  } finally {
    clearInterval(tick);
    progress?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await writer.close();
    await bundle.dispose();
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
