import type { Argv } from 'yargs';
import { GRAPH_OPTIMIZATION_LEVELS, ORT_PROVIDERS } from '../backends/ort-backend.js';
import { BACKEND_NAMES } from '../backends/types.js';
import type { SettingsOverrides } from '../loadgen/settings.js';
import { SCENARIOS, TEST_MODES } from '../loadgen/types.js';
import { TFJS_RUNTIME_CHOICES } from '../tfjs/runtimes.js';

/** Every flag of `mlbench run`, grouped as --help shows them. */
export function defineRunFlags<T>(y: Argv<T>) {
  return y
    .option('scenario', { choices: [...SCENARIOS, 'interactive'] as const, default: 'singlestream' as const, group: 'Test:', describe: 'MLPerf scenario (interactive: Server with the tighter TTFT/TPOT bounds, for --backend openai)' })
    .option('mode', { choices: TEST_MODES, default: 'performance' as const, group: 'Test:', describe: 'performance: timing; accuracy: every sample once, scored' })
    .option('profile', { type: 'string', default: 'quick', group: 'Test:', describe: 'built-in settings: quick (10 s) or official (MLPerf run lengths, 600 s)' })
    .option('scenario-file', { type: 'string', group: 'Test:', describe: 'a scenario file of your own (see schemas/scenario.schema.json)' })
    .option('workload', { type: 'string', group: 'Workload:', describe: 'built-in workload name or path to a workload.json (default: shapes-cnn)' })
    .option('model', { type: 'string', group: 'Workload:', describe: 'an ONNX model of your own (inputs generated from its declared types and shapes); for kserve-* backends, the model name on the server' })
    .option('precision', { type: 'string', default: 'fp32', group: 'Workload:', describe: "the workload's model variant: fp32 (reference), fp16, int8-dynamic, int8-static, or one the workload file names" })
    .option('reference-outputs', { type: 'string', group: 'Workload:', describe: "accuracy mode: compare outputs with an earlier accuracy run's (its folder or outputs.bin): top-1 agreement and cosine similarity" })
    .option('shape', { type: 'string', array: true, default: [] as string[], group: 'Workload:', describe: 'fix a dynamic input shape, e.g. --shape input=1x3x224x224 (repeatable)' })
    .option('sample-count', { type: 'number', default: 256, group: 'Workload:', describe: 'generated samples for --model' })
    .option('backend', { choices: BACKEND_NAMES, default: 'ort' as const, group: 'Backend:', describe: 'ort = onnxruntime-node; tfjs = TensorFlow.js; null = no model, known service time; kserve-http / kserve-grpc = a KServe v2 server at --url; openai = an OpenAI-compatible LLM server at --url (streaming)' })
    .option('provider', { choices: ORT_PROVIDERS, default: 'cpu' as const, group: 'Backend:', describe: 'onnxruntime execution provider' })
    .option('intra-op-threads', { type: 'number', default: 0, group: 'Backend:', describe: 'onnxruntime intra-op threads (0 = its default)' })
    .option('ort-spinning', { type: 'boolean', default: true, group: 'Backend:', describe: "onnxruntime's pool threads spin between work items, its default (--no-ort-spinning: they sleep)" })
    .option('inter-op-threads', { type: 'number', default: 0, group: 'Backend:', describe: 'onnxruntime inter-op threads (0 = its default)' })
    .option('graph-optimization', { choices: GRAPH_OPTIMIZATION_LEVELS, default: 'all' as const, group: 'Backend:' })
    .option('execution-mode', { choices: ['sequential', 'parallel'] as const, default: 'sequential' as const, group: 'Backend:' })
    .option('tfjs-backend', { choices: TFJS_RUNTIME_CHOICES, default: 'auto' as const, group: 'Backend:', describe: 'tfjs: TF.js runtime (auto = the best installed: node-gpu, node, wasm, cpu)' })
    .option('tfjs-threads', { type: 'number', default: 0, group: 'Backend:', describe: 'tfjs: threads for runtimes that have a setting (0 = its default)' })
    .option('concurrency', { type: 'number', default: 1, group: 'Backend:', describe: 'backend calls in flight at once' })
    .option('batch-size', { type: 'number', group: 'Backend:', describe: 'Offline: samples per backend call, for models with a dynamic batch dimension (default 32; 1 for kserve-*, whose servers batch)' })
    .option('max-batch', { type: 'number', default: 1, group: 'Backend:', describe: 'Server: dynamic batching, largest batch' })
    .option('batch-window-ms', { type: 'number', default: 0, group: 'Backend:', describe: 'Server: how long a partial batch waits for more samples' })
    .option('url', { type: 'string', group: 'Remote server:', describe: 'kserve-http: http://host:port; kserve-grpc: host:port; openai: http://host:port/v1' })
    .option('model-version', { type: 'string', default: '', group: 'Remote server:', describe: "model version ('' = the server's choice)" })
    .option('tensor-format', { choices: ['binary', 'json'] as const, default: 'binary' as const, group: 'Remote server:', describe: 'kserve-http: binary tensor data extension, or JSON arrays' })
    .option('connections', { type: 'number', default: 16, group: 'Remote server:', describe: 'kserve-http: keep-alive connections in the pool' })
    .option('max-outstanding', { type: 'number', group: 'Remote server:', describe: 'requests in flight at most (default: --connections for http, 128 for grpc); queries beyond wait and are reported' })
    .option('request-timeout-ms', { type: 'number', default: 0, group: 'Remote server:', describe: 'per-request timeout (0 = --query-timeout-ms, default 10 s)' })
    .option('retries', { type: 'number', default: 0, group: 'Remote server:', describe: 'extra tries after a refused, failed or timed-out request (each reported)' })
    .option('auth-file', { type: 'string', group: 'Remote server:', describe: 'file of "Header: value" lines sent with every request (or set MLBENCH_AUTH_HEADER); never recorded' })
    .option('api', { choices: ['completions', 'chat'] as const, group: 'LLM (--backend openai):', describe: '/v1/completions or /v1/chat/completions (default: chat for multi-turn workloads, else completions)' })
    .option('ignore-eos', { type: 'boolean', default: true, group: 'LLM (--backend openai):', describe: 'ask for exactly max_tokens (vLLM\'s ignore_eos); --no-ignore-eos for servers that reject it' })
    .option('continuous-usage', { type: 'boolean', default: true, group: 'LLM (--backend openai):', describe: "ask for usage in every chunk (vLLM's continuous_usage_stats), so chunks of several tokens count right; --no-continuous-usage for servers that reject it" })
    .option('ttft-bound-ms', { type: 'number', group: 'LLM (--backend openai):', describe: 'p99 time-to-first-token bound (Server default 2000, interactive 450)' })
    .option('tpot-bound-ms', { type: 'number', group: 'LLM (--backend openai):', describe: 'p99 time-per-output-token bound (Server default 200, interactive 40)' })
    .option('input-tokens', { type: 'string', group: 'LLM (--backend openai):', describe: 'prompt length: N, or MIN:MAX (uniform); overrides the workload' })
    .option('output-tokens', { type: 'string', group: 'LLM (--backend openai):', describe: 'requested output length (max_tokens): N, or MIN:MAX' })
    .option('length-file', { type: 'string', group: 'LLM (--backend openai):', describe: 'a file of "input output" token-length pairs, one per prompt, cycled' })
    .option('shared-prefix-tokens', { type: 'number', group: 'LLM (--backend openai):', describe: 'the same leading words in every prompt (exposes prefix caching)' })
    .option('turns', { type: 'number', group: 'LLM (--backend openai):', describe: 'multi-turn sessions of this many turns (each turn carries its history)' })
    .option('prompt-count', { type: 'number', group: 'LLM (--backend openai):', describe: 'prompts in the set' })
    .option('prompt-seed', { type: 'number', group: 'LLM (--backend openai):', describe: 'seed of the prompt set' })
    .option('service-time-ms', { type: 'number', default: 1, group: 'Null backend:', describe: 'mean service time per sample' })
    .option('service-time-distribution', { choices: ['constant', 'exponential'] as const, default: 'constant' as const, group: 'Null backend:' })
    .option('null-concurrency', { type: 'number', default: 1, group: 'Null backend:', describe: 'samples served at once (servers of the queue)' })
    .option('block-ms', { type: 'number', group: 'Null backend:', describe: 'block the issue path once for this long...' })
    .option('block-at-ms', { type: 'number', default: 0, group: 'Null backend:', describe: '...this long after the measured run starts' })
    .option('target-qps', { type: 'number', group: 'Settings:', describe: 'Server arrival rate (default: calibrated)' })
    .option('latency-bound-ms', { type: 'number', group: 'Settings:', describe: 'Server latency bound at --percentile' })
    .option('percentile', { type: 'number', alias: 'latency-percentile', group: 'Settings:', describe: 'percent, e.g. 99 or 99.9' })
    .option('min-duration-ms', { type: 'number', group: 'Settings:' })
    .option('max-duration-ms', { type: 'number', group: 'Settings:' })
    .option('min-query-count', { type: 'number', group: 'Settings:' })
    .option('max-query-count', { type: 'number', group: 'Settings:', describe: '0 = no limit' })
    .option('samples-per-query', { type: 'number', group: 'Settings:', describe: 'MultiStream samples per query' })
    .option('offline-expected-qps', { type: 'number', group: 'Settings:', describe: 'sizes the Offline query (default: measured)' })
    .option('performance-sample-count', { type: 'number', group: 'Settings:', describe: 'samples loaded at once (0 = the workload\'s)' })
    .option('warmup-query-count', { type: 'number', group: 'Settings:' })
    .option('query-timeout-ms', { type: 'number', group: 'Settings:', describe: 'a sample unanswered this long is reported missing' })
    .option('sample-set-seed', { type: 'string', group: 'Settings:' })
    .option('sample-index-seed', { type: 'string', group: 'Settings:' })
    .option('schedule-seed', { type: 'string', group: 'Settings:' })
    .option('output', { type: 'string', default: 'results', group: 'Output:', describe: 'folder for run folders' })
    .option('json', { type: 'boolean', default: false, group: 'Output:', describe: 'print result.json to stdout' })
    .option('progress', { type: 'boolean', default: true, group: 'Output:', describe: 'progress bar on stderr (only on a terminal)' })
    .option('issue-spin-us', { type: 'number', default: 2000, group: 'Output:', describe: 'spin this long before each scheduled issue for µs precision (costs CPU)' });
}

export type RunFlags = Awaited<ReturnType<typeof defineRunFlags>['argv']>;

/** The settings the flags set, only those given. */
export function settingsFromFlags(f: RunFlags): SettingsOverrides {
  const seeds = {
    ...(f['sample-set-seed'] !== undefined ? { sampleSet: f['sample-set-seed'] } : {}),
    ...(f['sample-index-seed'] !== undefined ? { sampleIndex: f['sample-index-seed'] } : {}),
    ...(f['schedule-seed'] !== undefined ? { schedule: f['schedule-seed'] } : {}),
  };
  const picked: Record<string, unknown> = {
    targetQps: f['target-qps'],
    latencyBoundMs: f['latency-bound-ms'],
    latencyPercentile: f.percentile,
    minDurationMs: f['min-duration-ms'],
    maxDurationMs: f['max-duration-ms'],
    minQueryCount: f['min-query-count'],
    maxQueryCount: f['max-query-count'],
    samplesPerQuery: f['samples-per-query'],
    offlineExpectedQps: f['offline-expected-qps'],
    performanceSampleCount: f['performance-sample-count'],
    warmupQueryCount: f['warmup-query-count'],
    queryTimeoutMs: f['query-timeout-ms'],
    ttftBoundMs: f['ttft-bound-ms'],
    tpotBoundMs: f['tpot-bound-ms'],
  };
  const given = Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== undefined));
  return { ...given, ...(Object.keys(seeds).length > 0 ? { seeds } : {}) } as SettingsOverrides;
}
