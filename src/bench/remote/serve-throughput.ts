import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliNodeArgs } from '../../cli/cli-process.js';
import { parseReadyLine } from '../../serve/serve-lines.js';
import { checkTarget, type Log, medianOf, silent, type TargetCheck } from '../types.js';
import { startChild } from './child-process.js';
import { runCliJson } from './run-cli.js';

export interface ServeOptions {
  /** Each Offline run's minimum duration. */
  readonly durationMs: number;
  readonly repetitions: number;
  readonly maxBatch: number;
  readonly batchWindowMs: number;
  /** Requests the client keeps in flight, so the server has something to batch. */
  readonly outstanding: number;
  /** Samples per request, one served series each: 1 is the batcher's hardest case. */
  readonly requestSizes: readonly number[];
}

export const SERVE_TARGET_SHARE_PERCENT = 80;

/** The served runs with one request size. */
export interface ServedSeries {
  readonly requestSize: number;
  readonly runs: readonly number[];
  readonly medianSamplesPerSecond: number;
  readonly ratioPercent: number;
  /** Batch size -> executions the server formed during this series (Triton-style statistics). */
  readonly serverBatchSizes: Readonly<Record<string, number>>;
}

export interface ServeResult {
  readonly options: ServeOptions;
  readonly direct: readonly number[];
  readonly directSamplesPerSecond: number;
  readonly served: readonly ServedSeries[];
  readonly targets: readonly TargetCheck[];
}

const WORKLOAD = 'shapes-cnn';

/**
 * The reference server's cost: Offline throughput of the built-in model through `mlbench serve`
 * (binary requests of each size in `requestSizes`; the server's dynamic batcher forms batches
 * of up to maxBatch rows) against onnxruntime-node run directly with batches of maxBatch.
 * Client and server share the machine. The target is checked on the best request size, as an
 * Offline client is free to choose it; every series is reported.
 */
export async function runServeBench(options: ServeOptions, log: Log = silent): Promise<ServeResult> {
  const scratch = await mkdtemp(join(tmpdir(), 'mlbench-serve-bench-'));
  try {
    const common = ['--scenario', 'offline', '--min-duration-ms', String(options.durationMs), '--no-progress', '--output', scratch];
    const direct: number[] = [];
    const runs = options.requestSizes.map((): number[] => []);
    const batchCounts = options.requestSizes.map((): Record<string, number> => ({}));
    const server = await startChild(
      cliNodeArgs(['serve', '--workload', WORKLOAD, '--http-port', '0', '--grpc-port', '0', '--max-batch', String(options.maxBatch), '--batch-window-ms', String(options.batchWindowMs)]),
      /^mlbench serve: ready:/,
      60_000,
    );
    try {
      const url = `http://${parseReadyLine(server.line)?.http ?? ''}`;
      for (let i = 0; i < options.repetitions; i++) {
        log(`repetition ${i + 1}: direct, then served with requests of ${options.requestSizes.join(', ')} samples`);
        direct.push(await offlineRate([...common, '--workload', WORKLOAD, '--batch-size', String(options.maxBatch)]));
        for (const [k, size] of options.requestSizes.entries()) {
          const before = await batchSizesOf(url);
          runs[k]!.push(await offlineRate([...common, '--backend', 'kserve-http', '--url', url, '--batch-size', String(size), '--connections', String(options.outstanding)]));
          addDifference(batchCounts[k]!, await batchSizesOf(url), before);
        }
      }
    } finally {
      await server.stop();
    }
    const directSamplesPerSecond = medianOf(direct);
    const served = options.requestSizes.map((requestSize, k): ServedSeries => {
      const medianSamplesPerSecond = medianOf(runs[k]!);
      return { requestSize, runs: runs[k]!, medianSamplesPerSecond, ratioPercent: (100 * medianSamplesPerSecond) / directSamplesPerSecond, serverBatchSizes: batchCounts[k]! };
    });
    const best = Math.max(...served.map((s) => s.ratioPercent));
    return {
      options,
      direct,
      directSamplesPerSecond,
      served,
      targets: [checkTarget('mlbench serve Offline throughput (best request size), share of direct onnxruntime', best, 'atLeast', SERVE_TARGET_SHARE_PERCENT, '%')],
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function offlineRate(args: readonly string[]): Promise<number> {
  const result = await runCliJson(args);
  if (result.summary.metric.value === null) throw new Error(`no Offline metric from mlbench ${args.join(' ')}`);
  return result.summary.metric.value;
}

/** Adds after - before, per batch size, into `into`. */
function addDifference(into: Record<string, number>, after: Record<string, number>, before: Record<string, number>): void {
  for (const [size, count] of Object.entries(after)) {
    const formed = count - (before[size] ?? 0);
    if (formed > 0) into[size] = (into[size] ?? 0) + formed;
  }
}

/** Triton-style statistics: batch_stats[].compute_infer.count per batch size. */
async function batchSizesOf(url: string): Promise<Record<string, number>> {
  const response = await fetch(`${url}/v2/models/${WORKLOAD}/stats`);
  if (!response.ok) return {};
  const stats = (await response.json()) as { model_stats?: { batch_stats?: { batch_size: number; compute_infer: { count: number } }[] }[] };
  const out: Record<string, number> = {};
  for (const b of stats.model_stats?.[0]?.batch_stats ?? []) out[String(b.batch_size)] = b.compute_infer.count;
  return out;
}
