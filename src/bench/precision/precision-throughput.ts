import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cliNodeArgs } from '../../cli/cli-process.js';
import { runCliJson } from '../remote/run-cli.js';
import { checkTarget, hrtimeNs, type Log, medianOf, silent, type TargetCheck } from '../types.js';

const run = promisify(execFile);

export interface PrecisionOptions {
  readonly workloads: readonly string[];
  readonly precisions: readonly string[];
  /** onnxruntime intra-op threads per measurement (0 = its default). */
  readonly threads: readonly number[];
  readonly repetitions: number;
  /** Each Offline run's minimum duration. */
  readonly durationMs: number;
  /** Also time the default `mlbench profile` (quick), the 5-minute target. */
  readonly timeProfile: boolean;
}

export interface PrecisionCell {
  readonly workload: string;
  readonly precision: string;
  readonly threads: number;
  /** Offline samples/s of each repetition. */
  readonly runs: readonly number[];
  readonly medianSamplesPerSecond: number;
  /** Median over fp32's median, same workload and threads. */
  readonly vsFp32: number;
}

export interface PrecisionResult {
  readonly options: PrecisionOptions;
  readonly cells: readonly PrecisionCell[];
  /** Wall time of the default profile, seconds; null when not timed. */
  readonly profileSeconds: number | null;
  readonly targets: readonly TargetCheck[];
}

export const PROFILE_TARGET_SECONDS = 300;

/**
 * Offline throughput of every precision variant under onnxruntime-node, each run in its own
 * process, repetitions interleaved across variants so a noisy minute hurts all of them alike.
 */
export async function runPrecisionBench(options: PrecisionOptions, log: Log = silent): Promise<PrecisionResult> {
  const scratch = await mkdtemp(join(tmpdir(), 'mlbench-precision-bench-'));
  try {
    const runs = new Map<string, number[]>();
    const key = (w: string, p: string, t: number): string => `${w}|${p}|${t}`;
    for (let r = 0; r < options.repetitions; r++) {
      for (const workload of options.workloads) {
        for (const threads of options.threads) {
          for (const precision of options.precisions) {
            const result = await runCliJson([
              '--workload', workload, '--precision', precision, '--scenario', 'offline',
              '--intra-op-threads', String(threads), '--min-duration-ms', String(options.durationMs),
              '--no-progress', '--output', scratch,
            ]);
            const value = result.summary.metric.value ?? Number.NaN;
            log(`repetition ${r + 1}: ${workload} ${precision} threads ${threads}: ${value.toFixed(0)} samples/s`);
            const list = runs.get(key(workload, precision, threads)) ?? [];
            list.push(value);
            runs.set(key(workload, precision, threads), list);
          }
        }
      }
    }
    const cells: PrecisionCell[] = [];
    for (const workload of options.workloads) {
      for (const threads of options.threads) {
        const fp32 = medianOf(runs.get(key(workload, 'fp32', threads)) ?? []);
        for (const precision of options.precisions) {
          const values = runs.get(key(workload, precision, threads)) ?? [];
          const median = medianOf(values);
          cells.push({ workload, precision, threads, runs: values, medianSamplesPerSecond: median, vsFp32: median / fp32 });
        }
      }
    }
    const profileSeconds = options.timeProfile ? await timeDefaultProfile(scratch, log) : null;
    const targets = cells
      .filter((c) => c.precision === 'int8-static' && c.workload === 'shapes-cnn')
      .map((c) => checkTarget(`shapes-cnn int8-static Offline throughput over fp32 (threads ${c.threads})`, c.vsFp32, 'atLeast', 1, 'x'));
    if (profileSeconds !== null) targets.push(checkTarget('default mlbench profile (quick), wall time', profileSeconds, 'atMost', PROFILE_TARGET_SECONDS, 's'));
    return { options, cells, profileSeconds, targets };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** `mlbench profile` as a new user runs it; checks it measured something before trusting the time. */
async function timeDefaultProfile(scratch: string, log: Log): Promise<number> {
  log('timing the default mlbench profile (quick) ...');
  const output = join(scratch, 'profile');
  const started = hrtimeNs();
  await run(process.execPath, cliNodeArgs(['profile', '--output', output]), { maxBuffer: 64 * 1024 * 1024 });
  const seconds = (hrtimeNs() - started) / 1e9;
  const [folder] = await readdir(output);
  const profile = JSON.parse(await readFile(join(output, folder ?? '', 'profile.json'), 'utf8')) as { rows: { status: string }[] };
  const measured = profile.rows.filter((row) => row.status === 'ok').length;
  log(`default profile: ${seconds.toFixed(1)} s, ${measured} of ${profile.rows.length} rows measured`);
  if (measured === 0) throw new Error('the default profile measured no row');
  return seconds;
}
