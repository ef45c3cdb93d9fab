import { resolveOutputsPath } from '../accuracy/outputs-file.js';
import { RealClock } from '../loadgen/real-clock.js';
import { BUILTIN_DEFAULTS, type TestSettings } from '../loadgen/settings.js';
import { loadWorkloadFile, resolveWorkloadPath, selectPrecision, workloadForModel } from '../workloads/load-workload.js';
import { DEFAULT_WORKLOAD } from '../workloads/paths.js';
import { REFERENCE_PRECISION, type WorkloadDefinition } from '../workloads/types.js';
import { buildLlmBundle, type LlmBundlePart, llmSettingsDefaults, llmWorkloadFor } from './build-llm.js';
import { bundleRemote, connectRemote, isRemoteBackend, workloadForRemote } from './build-remote.js';
import { buildSut, type SutBundle } from './build-sut.js';
import { UserError } from './errors.js';
import { resolveSettings } from './resolve-settings.js';
import { type RunFlags, settingsFromFlags } from './run-flags.js';

/** Everything resolved before a run starts: workload, settings, clock and backend. */
export interface PreparedRun {
  readonly flags: RunFlags;
  readonly workload: WorkloadDefinition;
  readonly settings: TestSettings;
  readonly requested: Record<string, unknown>;
  readonly clock: RealClock;
  readonly bundle: SutBundle;
  /** Accuracy mode: the reference outputs.bin to compare with (`--reference-outputs`). */
  readonly referenceOutputs: string | null;
  /** --backend openai: the prompts and the client, for token accounting after the run. */
  readonly llm: LlmBundlePart | null;
}

/** Resolves the flags into a ready backend. Bad input throws UserError before anything runs. */
export async function prepareRun(flags: RunFlags): Promise<PreparedRun> {
  const clock = new RealClock({ spinWindowNs: flags['issue-spin-us'] * 1000 });
  const { backend } = flags;
  const referenceOutputs = referenceOutputsFrom(flags);
  if (flags.scenario === 'interactive' && backend !== 'openai') {
    throw new UserError('flag', '--scenario interactive: a Server run with tighter TTFT/TPOT bounds, for LLM streams; use --backend openai (or --scenario server)');
  }
  if (backend === 'openai') return prepareLlmRun(flags, clock);
  if (flags.precision !== REFERENCE_PRECISION && (isRemoteBackend(backend) || backend === 'null')) {
    throw new UserError('flag', `--precision ${flags.precision}: applies to local runtimes (ort, tfjs); ${backend === 'null' ? 'the null backend runs no model' : 'a remote server runs the model it loaded'}`);
  }
  if (isRemoteBackend(backend)) {
    // The server is asked first: its model decides the workload, which decides the settings.
    const remote = await connectRemote(flags, backend, flags['query-timeout-ms'] ?? BUILTIN_DEFAULTS.queryTimeoutMs);
    try {
      const { workload, note } = workloadForRemote(flags, remote);
      const { effective, requested } = settingsFor(flags, workload.defaults);
      const bundle = bundleRemote(remote, flags, workload, note, effective, clock);
      return { flags, workload, settings: effective, requested, clock, bundle, referenceOutputs, llm: null };
    } catch (error) {
      await remote.dispose();
      throw error;
    }
  }
  if (flags.model !== undefined && flags.workload !== undefined) {
    throw new UserError('flag', '--model and --workload both given: pick one (a workload file names its own model)');
  }
  const workload = selectPrecision(
    flags.model !== undefined
      ? workloadForModel(flags.model, flags['sample-count'])
      : loadWorkloadFile(resolveWorkloadPath(flags.workload ?? DEFAULT_WORKLOAD)),
    flags.precision,
  );
  const { effective, requested } = settingsFor(flags, workload.defaults);
  const bundle = await buildSut(flags, workload, effective, clock);
  return { flags, workload, settings: effective, requested, clock, bundle, referenceOutputs, llm: null };
}

/** --backend openai: prompts from an LLM workload, token latencies on, the server checked before the run. */
async function prepareLlmRun(flags: RunFlags, clock: RealClock): Promise<PreparedRun> {
  if (flags.precision !== REFERENCE_PRECISION) throw new UserError('flag', `--precision ${flags.precision}: a remote server runs the model it loaded`);
  const interactive = flags.scenario === 'interactive';
  const prompts = llmWorkloadFor(flags);
  const { effective, requested } = settingsFor(flags, llmSettingsDefaults(prompts.defaults, interactive, prompts.spec.count), { tokenLatencies: true, interactive });
  const { bundle, llm, workload } = await buildLlmBundle(flags, prompts.spec, effective.queryTimeoutMs);
  return {
    flags,
    workload: { ...workload, source: `${prompts.source} (${llm.promptSet})` },
    settings: effective,
    requested: { ...requested, promptSet: prompts.spec },
    clock,
    bundle,
    referenceOutputs: null,
    llm,
  };
}

function referenceOutputsFrom(flags: RunFlags): string | null {
  const given = flags['reference-outputs'];
  if (given === undefined) return null;
  if (flags.mode !== 'accuracy') throw new UserError('flag', `--reference-outputs applies to --mode accuracy (this run is --mode ${flags.mode})`);
  return resolveOutputsPath(given);
}

function settingsFor(flags: RunFlags, workloadDefaults: WorkloadDefinition['defaults'], token: { tokenLatencies: boolean; interactive: boolean } = { tokenLatencies: false, interactive: false }) {
  return resolveSettings({
    ...token,
    scenario: flags.scenario === 'interactive' ? 'server' : flags.scenario,
    mode: flags.mode,
    profile: flags.profile,
    scenarioFile: flags['scenario-file'] ?? null,
    workloadDefaults,
    flags: settingsFromFlags(flags),
  });
}
