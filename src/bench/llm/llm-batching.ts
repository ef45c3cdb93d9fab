import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliNodeArgs } from '../../cli/cli-process.js';
import { SCHEDULERS, type SchedulerName } from '../../llm/engine/types.js';
import { parseLlmReadyLine } from '../../llm/serve/llm-serve-lines.js';
import { type ReadyChild, startChild } from '../remote/child-process.js';
import { runCliJson } from '../remote/run-cli.js';
import { type Log, silent, type TargetCheck } from '../types.js';
import { type LlmOfflineRun, type LlmServerRun, offlineRunOf, serverRunOf } from './llm-runs.js';
import { type LlmRatios, type LlmSchedulerMedians, llmTargets, mediansOf, ratiosOf, schedulerOrder, serverTargetQps } from './llm-summary.js';

export interface LlmBenchOptions {
  /** Each phase runs both schedulers this many times, alternating which goes first; medians reported. */
  readonly repetitions: number;
  /** --max-batch of both servers: sequences per decode step. */
  readonly maxBatch: number;
  /** Offline: the one query's size, every request in flight at once. */
  readonly offlineSamples: number;
  readonly serverDurationMs: number;
  /** The Server load as a share of the static scheduler's median Offline requests/s. */
  readonly serverLoadShare: number;
  /** Server bounds: goodput counts the requests within both (MLPerf's Llama-2-70B Server bounds). */
  readonly ttftBoundMs: number;
  readonly tpotBoundMs: number;
}

export interface LlmResult {
  readonly options: LlmBenchOptions;
  readonly workload: string;
  /** The one offered load both schedulers' Server runs got. */
  readonly serverTargetQps: number;
  readonly offline: readonly LlmOfflineRun[];
  readonly server: readonly LlmServerRun[];
  readonly medians: Readonly<Record<SchedulerName, LlmSchedulerMedians>>;
  readonly ratios: LlmRatios;
  readonly targets: readonly TargetCheck[];
}

/** Mixed output lengths (8-128 tokens): where the schedulers differ. */
const WORKLOAD = 'llm-mixed';
const READY = /^mlbench serve: ready: model /;
/** Loading onnxruntime and the model, then one warm-up generation. */
const SERVER_START_TIMEOUT_MS = 60_000;

/**
 * Continuous against static batching in `mlbench serve --llm`, measured by mlbench itself: both
 * servers run side by side (an idle one takes no CPU), each phase alternates between them.
 * Offline gives the throughput effect, Server at one fixed load the queueing effect on TTFT.
 * Client and servers share the machine.
 */
export async function runLlmBench(options: LlmBenchOptions, log: Log = silent): Promise<LlmResult> {
  const scratch = await mkdtemp(join(tmpdir(), 'mlbench-llm-bench-'));
  const servers: ReadyChild[] = [];
  try {
    const urls = {} as Record<SchedulerName, string>;
    for (const scheduler of SCHEDULERS) {
      const server = await startLlmServer(scheduler, options.maxBatch);
      servers.push(server);
      const ready = parseLlmReadyLine(server.line);
      if (ready === null) throw new Error(`llm bench: the ${scheduler} server's ready line names no URL: ${server.line}`);
      urls[scheduler] = ready.url;
    }
    const common = ['--backend', 'openai', '--workload', WORKLOAD, '--no-progress', '--output', scratch, '--warmup-query-count', '1'];

    const offline: LlmOfflineRun[] = [];
    for (let repetition = 0; repetition < options.repetitions; repetition++) {
      for (const scheduler of schedulerOrder(repetition)) {
        log(`Offline, repetition ${repetition + 1}: ${scheduler}`);
        const args = [...common, '--url', urls[scheduler], ...offlineArgs(options)];
        offline.push(offlineRunOf(await runCliJson(args), { scheduler, repetition }));
      }
    }

    const targetQps = serverTargetQps(offline, options.serverLoadShare);
    const server: LlmServerRun[] = [];
    for (let repetition = 0; repetition < options.repetitions; repetition++) {
      for (const scheduler of schedulerOrder(repetition)) {
        log(`Server at ${targetQps} QPS, repetition ${repetition + 1}: ${scheduler}`);
        const args = [...common, '--url', urls[scheduler], ...serverArgs(options, targetQps)];
        server.push(serverRunOf(await runCliJson(args), { scheduler, repetition }, targetQps));
      }
    }

    const medians = { continuous: mediansOf('continuous', offline, server), static: mediansOf('static', offline, server) };
    const ratios = ratiosOf(medians, offline, server);
    return { options, workload: WORKLOAD, serverTargetQps: targetQps, offline, server, medians, ratios, targets: llmTargets(ratios) };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await rm(scratch, { recursive: true, force: true });
  }
}

function startLlmServer(scheduler: SchedulerName, maxBatch: number): Promise<ReadyChild> {
  const args = ['serve', '--llm', '--scheduler', scheduler, '--http-port', '0', '--max-batch', String(maxBatch)];
  return startChild(cliNodeArgs(args), READY, SERVER_START_TIMEOUT_MS);
}

/** One query of `offlineSamples`: the minimum query count sizes it, the duration never does. */
function offlineArgs(o: LlmBenchOptions): string[] {
  return ['--scenario', 'offline', '--min-query-count', String(o.offlineSamples), '--offline-expected-qps', '1', '--min-duration-ms', '1'];
}

/**
 * Poisson arrivals at `targetQps` for the set duration. The same seeds in every run, so both
 * schedulers get the same prompts at the same times. The schedule runs to the maximum duration
 * (early stopping asks for 459 queries), so both durations are the bench's; far too short for
 * MLPerf's early stopping: the result's own verdict is kept in the JSON, not required.
 */
function serverArgs(o: LlmBenchOptions, targetQps: number): string[] {
  return [
    '--scenario', 'server',
    '--target-qps', String(targetQps),
    '--min-duration-ms', String(o.serverDurationMs),
    '--max-duration-ms', String(o.serverDurationMs),
    '--min-query-count', '1',
    '--ttft-bound-ms', String(o.ttftBoundMs),
    '--tpot-bound-ms', String(o.tpotBoundMs),
  ];
}
