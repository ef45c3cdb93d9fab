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
  /** Single-sample requests the client keeps in flight, so the server has something to batch. */
  readonly outstanding: number;
}

export const SERVE_TARGET_SHARE_PERCENT = 80;

export interface ServeResult {
  readonly options: ServeOptions;
  readonly direct: readonly number[];
  readonly served: readonly number[];
  readonly directSamplesPerSecond: number;
  readonly servedSamplesPerSecond: number;
  readonly ratioPercent: number;
  /** Batch size -> executions, from the server's statistics over the served runs. */
  readonly serverBatchSizes: Readonly<Record<string, number>>;
  readonly targets: readonly TargetCheck[];
}

const WORKLOAD = 'shapes-cnn';

/**
 * The reference server's cost: Offline throughput of the built-in model through `mlbench serve`
 * (single-sample binary requests, the server's dynamic batcher forms the batches) against
 * onnxruntime-node run directly with batches of the same size. Client and server share the machine.
 */
export async function runServeBench(options: ServeOptions, log: Log = silent): Promise<ServeResult> {
  const scratch = await mkdtemp(join(tmpdir(), 'mlbench-serve-bench-'));
  try {
    const common = ['--scenario', 'offline', '--min-duration-ms', String(options.durationMs), '--no-progress', '--output', scratch];
    const direct: number[] = [];
    const served: number[] = [];
    const server = await startChild(
      cliNodeArgs(['serve', '--workload', WORKLOAD, '--http-port', '0', '--grpc-port', '0', '--max-batch', String(options.maxBatch), '--batch-window-ms', String(options.batchWindowMs)]),
      /^mlbench serve: ready:/,
      60_000,
    );
    let serverBatchSizes: Record<string, number> = {};
    try {
      const url = `http://${parseReadyLine(server.line)?.http ?? ''}`;
      for (let i = 0; i < options.repetitions; i++) {
        log(`repetition ${i + 1}: direct, then served`);
        direct.push(await offlineRate([...common, '--workload', WORKLOAD, '--batch-size', String(options.maxBatch)]));
        served.push(
          await offlineRate([
            ...common,
            '--backend', 'kserve-http',
            '--url', url,
            '--batch-size', '1',
            '--connections', String(options.outstanding),
          ]),
        );
      }
      serverBatchSizes = await batchSizesOf(url);
    } finally {
      await server.stop();
    }
    const directSamplesPerSecond = medianOf(direct);
    const servedSamplesPerSecond = medianOf(served);
    const ratioPercent = (100 * servedSamplesPerSecond) / directSamplesPerSecond;
    return {
      options,
      direct,
      served,
      directSamplesPerSecond,
      servedSamplesPerSecond,
      ratioPercent,
      serverBatchSizes,
      targets: [checkTarget('mlbench serve Offline throughput, share of direct onnxruntime', ratioPercent, 'atLeast', SERVE_TARGET_SHARE_PERCENT, '%')],
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

/** Triton-style statistics: batch_stats[].compute_infer.count per batch size. */
async function batchSizesOf(url: string): Promise<Record<string, number>> {
  const response = await fetch(`${url}/v2/models/${WORKLOAD}/stats`);
  if (!response.ok) return {};
  const stats = (await response.json()) as { model_stats?: { batch_stats?: { batch_size: number; compute_infer: { count: number } }[] }[] };
  const out: Record<string, number> = {};
  for (const b of stats.model_stats?.[0]?.batch_stats ?? []) out[String(b.batch_size)] = b.compute_infer.count;
  return out;
}
