import { describeSpec } from '../llm/prompts/describe-spec.js';
import { generatePrompts } from '../llm/prompts/generate-prompts.js';
import { parseLengthFlag } from '../llm/prompts/lengths.js';
import { isLlmWorkload, loadLlmWorkload } from '../llm/prompts/load-llm-workload.js';
import { PromptLibrary } from '../llm/prompts/prompt-library.js';
import { overrideSpec } from '../llm/prompts/spec-overrides.js';
import { assertValidSpec } from '../llm/prompts/spec-problems.js';
import type { PromptSetSpec } from '../llm/prompts/types.js';
import { LLM_APIS, type LlmApi } from '../llm/types.js';
import type { SettingsOverrides } from '../loadgen/settings.js';
import type { ScenarioName } from '../loadgen/types.js';
import { openAiAuthHeaders } from '../openai/auth.js';
import { OpenAiBackend } from '../openai/openai-backend.js';
import { loadAuthHeaders } from '../remote/auth.js';
import type { WorkloadDefinition } from '../workloads/types.js';
import type { SutBundle } from './build-sut.js';
import { UserError } from './errors.js';
import type { RunFlags } from './run-flags.js';

/** The LLM workload a run against an OpenAI-compatible server uses when none is named. */
export const DEFAULT_LLM_WORKLOAD = 'llm-mixed';

/** Streams open at once by default: LLM servers batch many sequences, each stream holds a connection. */
export const DEFAULT_LLM_MAX_OUTSTANDING = 256;

/**
 * Settings a token run gets unless the workload, a scenario file's own values below them, or a
 * flag says otherwise: MLPerf's Llama-2-70B bounds (Server 2000/200 ms, Interactive 450/40 ms),
 * a query timeout long enough for long generations, a short warmup (each query is a whole
 * generation), and room for early stopping's 459 queries at the few requests per second LLM
 * servers often sustain (3 minutes: 2.6 QPS).
 */
export const LLM_DEFAULTS: Readonly<Record<'common' | 'server' | 'interactive', SettingsOverrides>> = {
  common: { queryTimeoutMs: 120_000, warmupQueryCount: 8, maxDurationMs: 180_000 },
  server: { ttftBoundMs: 2000, tpotBoundMs: 200 },
  interactive: { ttftBoundMs: 450, tpotBoundMs: 40 },
};

/** What the run needs from the LLM side besides the SUT (input tokens, length check, client stats). */
export interface LlmBundlePart {
  readonly library: PromptLibrary;
  readonly api: LlmApi;
  readonly ignoreEos: boolean;
  readonly promptSet: string;
  readonly client: OpenAiBackend;
}

/** --backend openai: what prompts, and which settings the workload brings. */
export function llmWorkloadFor(flags: RunFlags): { spec: PromptSetSpec; defaults: Partial<Record<ScenarioName, SettingsOverrides>>; source: string; description: string } {
  const name = flags.workload ?? DEFAULT_LLM_WORKLOAD;
  if (!isLlmWorkload(name)) {
    throw new UserError('flag', `--workload ${name}: --backend openai needs an LLM workload (kind "llm"), e.g. llm-mixed, llm-fixed, llm-shared-prefix, llm-chat`);
  }
  const workload = loadLlmWorkload(name);
  const spec = specWithFlags(workload.spec, flags);
  assertValidSpec(spec, 'flags');
  return { spec, defaults: workload.defaults, source: workload.source, description: workload.description };
}

/** The prompt-set flags override the workload file's values. */
function specWithFlags(spec: PromptSetSpec, flags: RunFlags): PromptSetSpec {
  const input = flags['input-tokens'];
  const output = flags['output-tokens'];
  return overrideSpec(spec, {
    ...(input === undefined ? {} : { input: parseLengthFlag(String(input), '--input-tokens') }),
    ...(output === undefined ? {} : { output: parseLengthFlag(String(output), '--output-tokens') }),
    ...(flags['length-file'] === undefined ? {} : { lengthFile: flags['length-file'] }),
    ...(flags['shared-prefix-tokens'] === undefined ? {} : { sharedPrefixTokens: flags['shared-prefix-tokens'] }),
    ...(flags.turns === undefined ? {} : { turns: flags.turns }),
    ...(flags['prompt-count'] === undefined ? {} : { count: flags['prompt-count'] }),
    ...(flags['prompt-seed'] === undefined ? {} : { seed: flags['prompt-seed'] }),
  });
}

/** The workload's per-scenario defaults, under the LLM defaults (and the interactive preset above both). */
export function llmSettingsDefaults(
  workloadDefaults: Partial<Record<ScenarioName, SettingsOverrides>>,
  interactive: boolean,
  promptCount: number,
): Partial<Record<ScenarioName, SettingsOverrides>> {
  const out: Partial<Record<ScenarioName, SettingsOverrides>> = {};
  for (const scenario of ['singlestream', 'multistream', 'server', 'offline'] as const) {
    out[scenario] = {
      ...LLM_DEFAULTS.common,
      ...(scenario === 'server' ? LLM_DEFAULTS.server : {}),
      // MLPerf's LLM Offline minimum is the dataset: here, the prompt set (not 1024 image samples).
      ...(scenario === 'offline' ? { minQueryCount: promptCount } : {}),
      ...workloadDefaults[scenario],
      ...(scenario === 'server' && interactive ? LLM_DEFAULTS.interactive : {}),
    };
  }
  return out;
}

/** Connects to the server (a UserError before any run when it is unreachable or wrong) and builds the bundle. */
export async function buildLlmBundle(flags: RunFlags, spec: PromptSetSpec, queryTimeoutMs: number): Promise<{ bundle: SutBundle; llm: LlmBundlePart; workload: WorkloadDefinition }> {
  if (flags.url === undefined) throw new UserError('flag', '--backend openai needs --url, e.g. --url http://127.0.0.1:8000/v1 (what `mlbench serve --llm` prints)');
  if (flags.mode === 'accuracy') throw new UserError('flag', '--mode accuracy: scoring LLM outputs is not supported yet; run --mode performance');
  if (flags.scenario === 'multistream') throw new UserError('flag', '--scenario multistream: not defined for LLM streams (MLPerf runs LLMs in Offline, Server, Interactive and SingleStream)');
  const api = apiFor(flags, spec);
  const prompts = generatePrompts(spec);
  const library = new PromptLibrary(spec.name, prompts);
  const headers = openAiAuthHeaders(process.env, loadAuthHeaders({ env: process.env, file: flags['auth-file'] ?? null }));
  const maxOutstanding = flags['max-outstanding'] ?? DEFAULT_LLM_MAX_OUTSTANDING;
  if (!Number.isInteger(maxOutstanding) || maxOutstanding < 1) throw new UserError('flag', `--max-outstanding ${maxOutstanding}: must be a whole number of at least 1`);
  const client = await OpenAiBackend.create(
    {
      url: flags.url,
      model: flags.model ?? null,
      api,
      requestTimeoutMs: flags['request-timeout-ms'] > 0 ? flags['request-timeout-ms'] : queryTimeoutMs,
      headers,
      maxOutstanding,
      ignoreEos: flags['ignore-eos'],
      continuousUsage: flags['continuous-usage'],
    },
    prompts,
  );
  const promptSet = describeSpec(spec);
  const workload: WorkloadDefinition = {
    name: spec.name,
    source: `prompts: ${promptSet}`,
    modelPath: '',
    tfjsModelPath: null,
    precision: null,
    calibration: null,
    variants: {},
    dataset: { kind: 'random', seed: spec.seed, sampleCount: prompts.length },
    performanceSampleCount: prompts.length,
    accuracy: null,
    defaults: {},
  };
  const bundle: SutBundle = {
    sut: client,
    qsl: library,
    backend: client.description,
    model: {
      path: null,
      sha256: null,
      sizeBytes: null,
      inputs: [],
      assumptions: [`model ${client.modelName} served at ${flags.url} (OpenAI-compatible, /v1/${api === 'chat' ? 'chat/completions' : 'completions'}, streaming)`],
    },
    label: null,
    onMeasuredStart: () => client.resetStats(),
    keepOutputs: () => {},
    batchSizes: () => ({}),
    heldBackQueries: () => client.stats().clientQueued,
    remote: null,
    dispose: () => client.dispose(),
  };
  return { bundle, llm: { library, api, ignoreEos: flags['ignore-eos'], promptSet, client }, workload };
}

function apiFor(flags: RunFlags, spec: PromptSetSpec): LlmApi {
  const given = flags.api;
  if (given === undefined) return spec.turns > 1 ? 'chat' : 'completions';
  if (!(LLM_APIS as readonly string[]).includes(given)) throw new UserError('flag', `--api ${given}: expected one of ${LLM_APIS.join(', ')}`);
  return given as LlmApi;
}
