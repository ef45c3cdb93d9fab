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
  /** One served series each: samples per request (1 is the batcher's hardest case) and the server's --instances. */
  readonly series: readonly { readonly requestSize: number; readonly instances: number }[];
}

export const SERVE_TARGET_SHARE_PERCENT = 80;

/** The served runs with one request size and instance count. */
export interface ServedSeries {
  readonly requestSize: number;
  readonly instances: number;
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
 * (binary requests of each series' size, to a server with its number of instances; the
 * dynamic batcher forms batches of up to maxBatch rows) against onnxruntime-node run directly
 * with batches of maxBatch. Client and server share the machine. The target is checked on the
 * best series, as an Offline client chooses its request size and a deployment its instances;
 * every series is reported.
 */
export async function runServeBench(options: ServeOptions, log: Log = silent): Promise<ServeResult> {
  const scratch = await mkdtemp(join(tmpdir(), 'mlbench-serve-bench-'));
  try {
    const common = ['--scenario', 'offline', '--min-duration-ms', String(options.durationMs), '--no-progress', '--output', scratch];
    const direct: number[] = [];
    const runs = options.series.map((): number[] => []);
    const batchCounts = options.series.map((): Record<string, number> => ({}));
    const servers: Awaited<ReturnType<typeof startChild>>[] = [];
    /** Instances -> the URL of the server started with that many. */
    const urls = new Map<number, string>();
    try {
      for (const instances of new Set(options.series.map((x) => x.instances))) {
        const args = ['serve', '--workload', WORKLOAD, '--http-port', '0', '--grpc-port', '0', '--max-batch', String(options.maxBatch), '--batch-window-ms', String(options.batchWindowMs), '--instances', String(instances)];
        const server = await startChild(cliNodeArgs(args), /^mlbench serve: ready:/, 60_000);
        servers.push(server);
        urls.set(instances, `http://${parseReadyLine(server.line)?.http ?? ''}`);
      }
      for (let i = 0; i < options.repetitions; i++) {
        log(`repetition ${i + 1}: direct, then ${options.series.length} served series`);
        direct.push(await offlineRate([...common, '--workload', WORKLOAD, '--batch-size', String(options.maxBatch)]));
        for (const [k, { requestSize, instances }] of options.series.entries()) {
          const url = urls.get(instances)!;
          const before = await batchSizesOf(url);
          runs[k]!.push(await offlineRate([...common, '--backend', 'kserve-http', '--url', url, '--batch-size', String(requestSize), '--connections', String(options.outstanding)]));
          addDifference(batchCounts[k]!, await batchSizesOf(url), before);
        }
      }
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
    const directSamplesPerSecond = medianOf(direct);
    const served = options.series.map(({ requestSize, instances }, k): ServedSeries => {
      const medianSamplesPerSecond = medianOf(runs[k]!);
      return { requestSize, instances, runs: runs[k]!, medianSamplesPerSecond, ratioPercent: (100 * medianSamplesPerSecond) / directSamplesPerSecond, serverBatchSizes: batchCounts[k]! };
    });
    const best = Math.max(...served.map((s) => s.ratioPercent));
    return {
      options,
      direct,
      directSamplesPerSecond,
      served,
      targets: [checkTarget('mlbench serve Offline throughput (best series), share of direct onnxruntime', best, 'atLeast', SERVE_TARGET_SHARE_PERCENT, '%')],
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
