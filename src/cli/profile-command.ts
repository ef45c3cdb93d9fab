import { join } from 'node:path';
import type { Argv } from 'yargs';
import { SCENARIOS } from '../loadgen/types.js';
import { RUNS_DIR } from '../profile/build-row.js';
import { settingsProblems } from '../profile/check-settings.js';
import { ChildProcessRunner } from '../profile/child-runner.js';
import { formatProfile } from '../profile/format-profile.js';
import { parseChoiceList } from '../profile/parse-list.js';
import { BACKEND_FLAGS, PASS_THROUGH_FLAGS, passThroughFrom, SETTING_FLAGS, settingOverrides } from '../profile/pass-through.js';
import { profilePlanFromFlags } from '../profile/profile-plan.js';
import { bestRows } from '../profile/rank.js';
import { runProfile } from '../profile/run-profile.js';
import { PROFILE_SCHEMA_VERSION, type ProfileResult, type ProfileRow, type ProfileStatus } from '../profile/types.js';
import { profileIdFor, writeProfile } from '../profile/write-profile.js';
import { toolVersion } from '../results/build-result.js';
import { detectSystem } from '../results/system-info.js';
import { loadWorkloadFile, resolveWorkloadPath } from '../workloads/load-workload.js';
import { DEFAULT_WORKLOAD } from '../workloads/paths.js';
import { EXIT, UserError } from './errors.js';
import { withInterrupt } from './interrupt.js';

const MATRIX = 'Matrix (comma-separated lists multiply):';

/** The flags of `mlbench profile`. */
export function defineProfileFlags<T>(y: Argv<T>) {
  let flags = y
    .option('workload', { type: 'string', default: DEFAULT_WORKLOAD, group: MATRIX, describe: 'built-in workload name or path to a workload.json' })
    .option('precisions', { type: 'string', group: MATRIX, describe: "model variants; fp32 (the reference) is required (default: fp32,fp16,int8-dynamic,int8-static and any other the workload names; ones it lacks are 'unsupported')" })
    .option('backends', { type: 'string', default: 'ort,tfjs', group: MATRIX, describe: 'ort (onnxruntime-node), tfjs (TensorFlow.js)' })
    .option('scenarios', { type: 'string', default: 'offline,singlestream', group: MATRIX, describe: 'performance scenarios of every cell' })
    .option('threads', { type: 'string', default: '0', group: MATRIX, describe: 'ort --intra-op-threads and tfjs --tfjs-threads (0 = the runtime default)' })
    .option('providers', { type: 'string', default: 'cpu', group: MATRIX, describe: 'ort execution providers: cpu, cuda, tensorrt' })
    .option('graph-optimizations', { type: 'string', default: 'all', group: MATRIX, describe: 'ort: disabled, basic, extended, all' })
    .option('execution-modes', { type: 'string', default: 'sequential', group: MATRIX, describe: 'ort: sequential, parallel' })
    .option('tfjs-backends', { type: 'string', default: 'auto', group: MATRIX, describe: 'tfjs runtimes: auto, node-gpu, node, wasm, cpu' })
    .option('profile', { type: 'string', default: 'quick', group: 'Test:', describe: 'run lengths of every cell: quick (10 s) or official (MLPerf, 600 s)' })
    .option('repetitions', {
      type: 'string',
      group: 'Test:',
      describe:
        'run each performance scenario of every cell N times (default 1); rows show the median (min-max), and a row is best only when its range is clear of every other qualifying row. Repetitions are interleaved: round 1 of every cell, then round 2, ..., so a slow spell of the machine hits every cell rather than one. The accuracy pass runs once per cell',
    })
    .option('sort-by', { type: 'string', group: 'Output:', describe: 'the scenario whose metric orders the table (default: the first of --scenarios)' })
    .option('output', { type: 'string', default: 'results', group: 'Output:', describe: 'profile-<id>/ is written here (profile.json, summary.txt, runs/)' })
    .option('json', { type: 'boolean', default: false, group: 'Output:', describe: 'print profile.json to stdout (the table goes to stderr)' });
  for (const flag of Object.keys(SETTING_FLAGS)) {
    flags = flags.option(flag, { type: 'number', group: 'Settings of every cell:', describe: 'as for mlbench run' });
  }
  for (const [flag, describe] of Object.entries(BACKEND_FLAGS)) {
    flags = flags.option(flag, { type: 'number', group: 'Settings of every cell:', describe });
  }
  return flags
    .example('mlbench profile', 'the default workload: 4 precisions x ort, tfjs x Offline, SingleStream (quick runs)')
    .example('mlbench profile --backends ort --precisions fp32,int8-dynamic --threads 1,2', 'ort only, two precisions, at 1 and 2 threads')
    .example('mlbench profile --backends ort --precisions fp32,fp16 --repetitions 5', 'each performance run 5 times, interleaved: medians and ranges')
    .example('mlbench profile --scenarios offline --sort-by offline --json > profile.json', 'machine-readable');
}

export type ProfileFlags = Awaited<ReturnType<typeof defineProfileFlags>['argv']>;

/** `mlbench profile`: returns the exit code. */
export async function profileCommand(flags: ProfileFlags): Promise<number> {
  // Every flag and the workload are checked before anything runs.
  const workload = loadWorkloadFile(resolveWorkloadPath(flags.workload));
  const passThrough = passThroughFrom(Object.fromEntries(PASS_THROUGH_FLAGS.map((f) => [f, (flags as Record<string, unknown>)[f]])));
  const { plan, problems } = profilePlanFromFlags(
    {
      precisions: flags.precisions,
      backends: flags.backends,
      scenarios: flags.scenarios,
      threads: flags.threads,
      providers: flags.providers,
      graphOptimizations: flags['graph-optimizations'],
      executionModes: flags['execution-modes'],
      tfjsBackends: flags['tfjs-backends'],
      profile: flags.profile,
      sortBy: flags['sort-by'],
      repetitions: flags.repetitions,
      passThrough: passThrough.values,
    },
    { name: workload.name, source: workload.source, accuracyMetric: workload.accuracy?.metric ?? null, precisions: Object.keys(workload.variants) },
  );
  // The settings are checked even when a list is wrong, against the scenarios that were right.
  const scenarios = plan?.scenarios ?? parseChoiceList(flags.scenarios, 'scenarios', SCENARIOS, []);
  const all = [...problems, ...passThrough.problems, ...settingsProblems(scenarios, flags.profile, settingOverrides(passThrough.values), workload.defaults)];
  if (plan === null || all.length > 0) throw new UserError('flag', all.join('\n'));

  const startedAt = new Date();
  const profileId = profileIdFor(startedAt);
  const dir = join(flags.output, profileId);
  const system = await detectSystem();
  const snapshot = (rows: readonly ProfileRow[], status: ProfileStatus): ProfileResult => ({
    schemaVersion: PROFILE_SCHEMA_VERSION,
    kind: 'profile',
    tool: { name: 'mlbench', version: toolVersion() },
    profileId,
    startedAt: startedAt.toISOString(),
    status,
    plan,
    system,
    rows: [...rows],
    best: bestRows(rows, plan.scenarios),
  });
  // profile.json is rewritten after every performance run, so a crash or Ctrl-C keeps what was measured.
  await writeProfile(dir, snapshot([], 'running'));
  let written = Promise.resolve();
  let writeError: unknown = null;
  const onRows = (rows: readonly ProfileRow[]): void => {
    const doc = snapshot(rows, 'running');
    written = written.then(() => writeProfile(dir, doc)).catch((error: unknown) => {
      writeError ??= error;
    });
  };
  const runner = new ChildProcessRunner({ workload: workload.source, profile: plan.profile, runsDir: join(dir, RUNS_DIR), passThrough: plan.passThrough });
  const outcome = await withInterrupt((signal) => runProfile({ plan, runner, signal, onProgress: (text) => process.stderr.write(text), onRows }));
  await written;
  if (writeError !== null) throw writeError;
  const profile = snapshot(outcome.rows, outcome.aborted ? 'aborted' : 'completed');
  await writeProfile(dir, profile);

  const text = `${formatProfile(profile)}profile: ${join(dir, 'profile.json')}\n`;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(profile, null, 2)}\n`);
    process.stderr.write(text);
  } else {
    process.stdout.write(text);
  }
  if (outcome.aborted) return EXIT.aborted;
  return profile.rows.some((r) => r.status === 'ok') ? EXIT.ok : EXIT.runFailed;
}
