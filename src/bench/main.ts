#!/usr/bin/env node
import { spawn } from 'node:child_process';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { V8_HEAP_FLAGS } from '../cli/cli-process.js';
import { EXIT, UserError } from '../cli/errors.js';
import { PACKAGE_ROOT } from '../workloads/paths.js';
import { runOverheadBench } from './harness-overhead.js';
import { runLlmBench } from './llm/llm-batching.js';
import { runMemoryBench } from './memory.js';
import { runOfflineBench } from './offline-throughput.js';
import { type BenchOptions, benchOptions, parseOnly } from './options.js';
import { runPrecisionBench } from './precision/precision-throughput.js';
import { runClientBench } from './remote/client-throughput.js';
import { runServeBench } from './remote/serve-throughput.js';
import { type BenchReport, type BenchResults, type BenchRun, formatReport, type MachineInfo, writeReport } from './report.js';
import { runServerBench } from './server-issue-delay.js';
import { BENCH_NAMES, type BenchName, hrtimeNs, type LoadAverage, type Log, silent, type TargetCheck } from './types.js';

/** Every bench, by name: a new name fails type checking until it has a runner here. */
const RUNNERS = {
  offline: (o, log) => runOfflineBench(o.offline, log),
  server: (o, log) => runServerBench(o.server, log),
  overhead: (o, log) => runOverheadBench(o.overhead, log),
  memory: (o, log) => runMemoryBench(o.memory, log),
  client: (o, log) => runClientBench(o.client, log),
  serve: (o, log) => runServeBench(o.serve, log),
  precision: (o, log) => runPrecisionBench(o.precision, log),
  llm: (o, log) => runLlmBench(o.llm, log),
} satisfies { [K in BenchName]: (options: BenchOptions, log: Log) => Promise<BenchResults[K]> };

function loadAverage(): LoadAverage {
  const [one = 0, five = 0, fifteen = 0] = os.loadavg();
  return [one, five, fifteen];
}

async function runOne<K extends BenchName>(name: K, options: BenchOptions, log: Log): Promise<BenchRun<K>> {
  const before = loadAverage();
  const t0 = hrtimeNs();
  const runner = RUNNERS[name] as (options: BenchOptions, log: Log) => Promise<BenchResults[K]>;
  try {
    const result = await runner(options, log);
    return { state: 'completed', result, wallMs: (hrtimeNs() - t0) / 1e6, loadAverage: { before, after: loadAverage() } };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { state: 'errored', error: message, wallMs: (hrtimeNs() - t0) / 1e6, loadAverage: { before, after: loadAverage() } };
  }
}

function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length > 0 ? cpus.length : os.availableParallelism(),
    memoryBytes: os.totalmem(),
    node: process.version,
    v8: process.versions.v8,
    nodeFlags: process.execArgv,
    platform: process.platform,
    arch: process.arch,
  };
}

async function main(argv: string[]): Promise<number> {
  const flags = await yargs(argv)
    .scriptName('mlbench-bench')
    .usage('npm run bench -- [flags]: measures the harness against the issue targets and writes results/bench/*.json')
    .option('only', { type: 'string', describe: `comma-separated subset of ${BENCH_NAMES.join(',')}` })
    .option('soak-seconds', { type: 'number', describe: 'RSS soak length (default 60; 3 with --quick)' })
    .option('quick', { type: 'boolean', default: false, describe: 'shorter everything: a smoke test, not a measurement' })
    .option('output', { type: 'string', default: join(PACKAGE_ROOT, 'results', 'bench'), describe: 'folder for the JSON reports' })
    .option('progress', { type: 'boolean', default: process.stderr.isTTY === true, describe: 'progress notes on stderr' })
    .example('npm run bench', 'every bench, default sizes')
    .example('npm run bench -- --only offline,memory --soak-seconds 600', 'two benches, a 10-minute soak')
    .example('npm run bench -- --quick', 'a fast smoke test')
    .strict()
    .help()
    .alias('h', 'help')
    .fail((message, error) => {
      throw error ?? new UserError('flag', message);
    })
    .parseAsync();
  const only = parseOnly(flags.only);
  const soakSeconds = flags['soak-seconds'] ?? (flags.quick ? 3 : 60);
  if (!(soakSeconds >= 0)) throw new UserError('flag', `--soak-seconds ${soakSeconds}: must be 0 or more`);
  const log: Log = flags.progress ? (message) => process.stderr.write(`${message}\n`) : silent;
  const options = benchOptions(flags.quick, soakSeconds);

  const startedAt = new Date().toISOString();
  const start = loadAverage();
  const benches: { -readonly [K in BenchName]?: BenchRun<K> } = {};
  const targets: TargetCheck[] = [];
  for (const name of only) {
    log(`== ${name}`);
    const run = await runOne(name, options, log);
    (benches as Record<BenchName, BenchRun<BenchName>>)[name] = run;
    if (run.state === 'completed') targets.push(...run.result.targets);
    else log(`${name} errored: ${run.error}`);
  }
  const report: BenchReport = {
    kind: 'mlbench-bench',
    startedAt,
    finishedAt: new Date().toISOString(),
    argv,
    options: { only, quick: flags.quick, soakSeconds },
    machine: machineInfo(),
    loadAverage: { start, end: loadAverage() },
    benches,
    targets,
  };
  process.stdout.write(formatReport(report));
  const written = await writeReport(report, resolve(flags.output));
  process.stdout.write(`wrote ${written.path} and ${written.latest}\n`);
  const errored = only.some((name) => benches[name]?.state === 'errored');
  return errored ? EXIT.internal : EXIT.ok;
}

/**
 * Heap numbers need `global.gc`, and the harness is measured under the V8 flags the `mlbench`
 * bin runs with: run again with both when either is missing (flags given to this node last, so
 * they win).
 */
function respawnWithFlags(): Promise<number> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--expose-gc', ...V8_HEAP_FLAGS, ...process.execArgv, script, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, MLBENCH_BENCH_RESPAWNED: '1' },
  });
  // Ctrl-C reaches both processes; the child decides, the parent waits for it.
  const ignore = (): void => {};
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
  return new Promise((done) => {
    child.on('exit', (code, signal) => done(code ?? (signal !== null ? 128 + (os.constants.signals[signal] ?? 0) : EXIT.internal)));
    child.on('error', () => done(EXIT.internal));
  });
}

const hasFlags = typeof globalThis.gc === 'function' && V8_HEAP_FLAGS.every((flag) => process.execArgv.includes(flag));
const needsRespawn = !hasFlags && process.env.MLBENCH_BENCH_RESPAWNED !== '1';
(needsRespawn ? respawnWithFlags() : main(hideBin(process.argv))).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UserError) {
      process.stderr.write(`mlbench-bench: ${error.message}\n`);
      process.exit(EXIT.badInput);
    }
    process.stderr.write(`mlbench-bench: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT.internal);
  },
);
