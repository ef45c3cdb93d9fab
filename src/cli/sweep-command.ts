import { join } from 'node:path';
import type { Argv } from 'yargs';
import { toolVersion } from '../results/build-result.js';
import { runIdFor } from '../results/result-writer.js';
import { detectSystem } from '../results/system-info.js';
import { runConcurrencySweep } from '../sweep/concurrency-sweep.js';
import { formatSweep } from '../sweep/format-sweep.js';
import { RecordedRunner } from '../sweep/recorded-runner.js';
import { runServerSweep, type SweepOutcome } from '../sweep/run-server-sweep.js';
import { sweepPlanFromFlags } from '../sweep/sweep-plan.js';
import { SWEEP_SCHEMA_VERSION, type SweepPoint, type SweepResult } from '../sweep/types.js';
import { writeSweep } from '../sweep/write-sweep.js';
import { EXIT, UserError } from './errors.js';
import { withInterrupt } from './interrupt.js';
import { prepareRun } from './prepare-run.js';
import { defineRunFlags, type RunFlags } from './run-flags.js';

/** The flags of `mlbench sweep`: every `run` flag (backend, workload, settings) plus these. */
export function defineSweepFlags<T>(y: Argv<T>) {
  return defineRunFlags(y)
    .option('find-peak', { type: 'boolean', default: false, group: 'Sweep:', describe: 'search the highest Server rate that meets --latency-bound-ms at --percentile, then confirm it with a full-length VALID run' })
    .option('qps', { type: 'string', group: 'Sweep:', describe: 'Server rates to measure, e.g. 50,100,200 (each a full-length run)' })
    .option('concurrency-levels', { type: 'string', group: 'Sweep:', describe: 'closed loop: queries kept in flight, e.g. 1,2,4,8' })
    .option('start-qps', { type: 'number', group: 'Sweep:', describe: 'first probe rate (default: half the calibrated saturated rate)' })
    .option('bracket-percent', { type: 'number', default: 5, group: 'Sweep:', describe: 'stop bisecting when the bracket is this narrow, percent' })
    .option('max-probes', { type: 'number', default: 16, group: 'Sweep:', describe: 'most probe runs the search may make' })
    .option('probe-duration-ms', { type: 'number', default: 5000, group: 'Sweep:', describe: 'length of each probe (and each concurrency level)' })
    .option('confirm-retries', { type: 'number', default: 2, group: 'Sweep:', describe: 'an INVALID confirmation steps down one precision step and tries again, this many times' })
    .example('mlbench sweep --find-peak --latency-bound-ms 50', 'the highest SLO-valid Server rate on the built-in workload, confirmed')
    .example('mlbench sweep --find-peak --latency-bound-ms 50 --profile official', 'the same with a 600 s confirmation run')
    .example('mlbench sweep --qps 50,100,200 --latency-bound-ms 50', 'the throughput-latency curve at three rates')
    .example('mlbench sweep --concurrency-levels 1,2,4,8', 'closed loop: throughput against queries in flight')
    .example('mlbench sweep --backend null --service-time-ms 2 --find-peak --latency-bound-ms 50', 'the harness alone: an M/D/1 queue');
}

export type SweepFlags = Awaited<ReturnType<typeof defineSweepFlags>['argv']>;

function describePoint(p: SweepPoint): string {
  const at = p.offeredQps !== null ? `${p.offeredQps} QPS` : `${p.concurrency} in flight`;
  const verdict = p.meetsBound === null ? '' : p.meetsBound ? ', meets bound' : ', over bound';
  const valid = p.kind === 'probe' || p.valid === null ? '' : p.valid ? ', VALID' : ', INVALID';
  const trust = p.loadgenBottleneck ? ', load generator was the bottleneck: not trusted' : '';
  return `${p.kind} at ${at}: ${p.completedQps.toFixed(1)} completed/s, p99 ${(p.latencyNs.p99 / 1e6).toFixed(2)} ms${verdict}${valid}${trust}`;
}

/** `mlbench sweep`: returns the exit code. */
export async function sweepCommand(flags: SweepFlags): Promise<number> {
  const { plan, problems } = sweepPlanFromFlags({
    qps: flags.qps,
    findPeak: flags['find-peak'],
    concurrencyLevels: flags['concurrency-levels'],
    startQps: flags['start-qps'],
    precision: flags['bracket-percent'],
    maxProbes: flags['max-probes'],
    probeDurationMs: flags['probe-duration-ms'],
    confirmRetries: flags['confirm-retries'],
    targetQps: flags['target-qps'],
  });
  if (plan === null) throw new UserError('flag', problems.join('\n'));
  if (flags.backend === 'openai') {
    // A sweep judges each rate on one latency bound; LLM servers are judged on TTFT and TPOT.
    throw new UserError('flag', '--backend openai: sweeps over TTFT/TPOT bounds are not supported yet; run --scenario server at several --target-qps values (each judged on both token bounds)');
  }
  if (flags.scenario !== 'singlestream' && flags.scenario !== 'server') {
    throw new UserError('flag', `--scenario ${flags.scenario}: a sweep runs Server (rates) or a closed loop (--concurrency-levels); leave --scenario out`);
  }
  // Concurrency levels are a closed loop: no schedule, so no bound is required.
  const runFlags: RunFlags = { ...flags, scenario: plan.mode === 'server' ? 'server' : 'singlestream', mode: 'performance' };
  const prepared = await prepareRun(runFlags);
  try {
    const startedAt = new Date();
    const sweepId = runIdFor(plan.mode, startedAt);
    const sweepDir = join(flags.output, `sweep-${sweepId}`);
    const system = await detectSystem();
    const { settings, workload, bundle } = prepared;
    const snapshot = (outcome: Pick<SweepOutcome, 'points' | 'peak' | 'notes'>): SweepResult => ({
      schemaVersion: SWEEP_SCHEMA_VERSION,
      tool: { name: 'mlbench', version: toolVersion() },
      sweepId,
      startedAt: startedAt.toISOString(),
      mode: plan.mode,
      method: plan.mode === 'server' ? plan.server.method : 'list',
      workload: { name: workload.name, source: workload.source },
      backend: bundle.backend,
      system,
      latencyBoundMs: settings.latencyBoundMs,
      percentile: settings.latencyPercentile,
      points: [...outcome.points],
      peak: outcome.peak,
      notes: [...outcome.notes],
    });
    // sweep.json is rewritten after every point, so a crash or Ctrl-C keeps what was measured.
    const partial: SweepPoint[] = [];
    let written = Promise.resolve();
    const onPoint = (point: SweepPoint): void => {
      partial.push(point);
      process.stderr.write(`${describePoint(point)}\n`);
      const doc = snapshot({ points: partial, peak: null, notes: ['sweep in progress'] });
      written = written.then(() => writeSweep(sweepDir, doc));
    };
    const outcome = await withInterrupt(async (signal): Promise<SweepOutcome> => {
      if (plan.mode === 'server') {
        const runner = new RecordedRunner({ prepared, sweepDir, probeDurationMs: flags['probe-duration-ms'], system, signal, progress: flags.progress && !flags.json });
        return runServerSweep(runner, plan.server, signal, onPoint);
      }
      const { points, interrupted } = await runConcurrencySweep({
        clock: prepared.clock,
        sut: bundle.sut,
        qsl: bundle.qsl,
        settings,
        levels: plan.levels,
        durationMs: flags['probe-duration-ms'],
        signal,
        onPoint,
      });
      const notes = interrupted ? [`interrupted after ${points.length} levels: the points so far are written`] : [];
      return { points, peak: null, notes, interrupted };
    });
    await written;
    const sweep = snapshot(outcome);
    await writeSweep(sweepDir, sweep);
    const text = `${formatSweep(sweep)}sweep: ${sweepDir}\n`;
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(sweep, null, 2)}\n`);
      process.stderr.write(text);
    } else {
      process.stdout.write(text);
    }
    if (outcome.interrupted) return EXIT.aborted;
    if (sweep.method === 'find-peak' && sweep.peak === null) return EXIT.invalid;
    return EXIT.ok;
  } finally {
    await prepared.bundle.dispose();
  }
}
