import { UserError } from '../../cli/errors.js';
import type { ServeFlagValues } from '../../serve/serve-options.js';
import type { EngineOptions } from '../engine/create-engine.js';
import { SCHEDULERS, type SchedulerName } from '../engine/types.js';

/** The flags of `mlbench serve` that `--llm` reads or refuses (defaults in src/cli/serve-command.ts). */
export type LlmServeFlagValues = Pick<
  ServeFlagValues,
  | 'name'
  | 'host'
  | 'http-port'
  | 'grpc-port'
  | 'max-batch'
  | 'batch-window-ms'
  | 'max-queue'
  | 'max-request-mb'
  | 'intra-op-threads'
  | 'workload'
  | 'model'
  | 'precision'
  | 'preferred-batch'
  | 'provider'
  | 'ort-spinning'
  | 'instances'
> & { readonly scheduler?: string | undefined };

export interface ResolvedLlmServeOptions {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly maxQueue: number;
  readonly maxRequestBytes: number;
  readonly engine: EngineOptions;
}

export const DEFAULT_LLM_NAME = 'tiny-llm';
const DEFAULT_SCHEDULER: SchedulerName = 'continuous';
/** Flags --llm does not use, with their KServe defaults (any other value was asked for on purpose) and why. */
const KSERVE_ONLY_FLAGS = {
  'grpc-port': { kserveDefault: 8001, why: 'the OpenAI API is HTTP only, on --http-port' },
  precision: { kserveDefault: 'fp32', why: 'the built-in LLM has one variant, fp32' },
  provider: { kserveDefault: 'cpu', why: "the LLM engine runs on onnxruntime's CPU provider" },
  'ort-spinning': { kserveDefault: false, why: "the LLM engine keeps onnxruntime's own thread settings" },
  instances: { kserveDefault: 1, why: 'the LLM engine runs one session, batching sequences itself' },
} as const;
const BYTES_PER_MB = 1024 * 1024;

/** `mlbench serve --llm` flags into server options, every problem reported at once. */
export function resolveLlmServeOptions(flags: LlmServeFlagValues): ResolvedLlmServeOptions {
  const problems: string[] = [];
  const integer = (flag: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void => {
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`--${flag} ${value}: must be a whole number from ${min} to ${max}`);
  };
  integer('http-port', flags['http-port'], 0, 65535);
  integer('max-batch', flags['max-batch'], 1);
  integer('max-queue', flags['max-queue'], 0);
  integer('intra-op-threads', flags['intra-op-threads'], 0);
  const windowMs = flags['batch-window-ms'];
  if (!Number.isFinite(windowMs) || windowMs < 0) problems.push(`--batch-window-ms ${windowMs}: must be 0 or more`);
  const mb = flags['max-request-mb'];
  if (!Number.isFinite(mb) || mb <= 0) problems.push(`--max-request-mb ${mb}: must be more than 0`);
  const scheduler = flags.scheduler ?? DEFAULT_SCHEDULER;
  if (!isScheduler(scheduler)) problems.push(`--scheduler ${scheduler}: must be one of ${SCHEDULERS.join(', ')}`);
  if (flags.name !== undefined && !/^[^\s/?#%]+$/.test(flags.name)) problems.push(`--name ${JSON.stringify(flags.name)}: a model name cannot be empty or hold spaces, '/', '?', '#' or '%'`);
  for (const flag of ['workload', 'model', 'preferred-batch'] as const) {
    if (flags[flag] !== undefined) problems.push(`--${flag}: does not apply with --llm (it serves the built-in tiny-llm model)`);
  }
  for (const [flag, { kserveDefault, why }] of Object.entries(KSERVE_ONLY_FLAGS)) {
    const value = flags[flag as keyof typeof KSERVE_ONLY_FLAGS];
    if (value !== kserveDefault) problems.push(`--${flag} ${value}: does not apply with --llm (${why})`);
  }
  if (problems.length > 0) throw new UserError('flag', `mlbench serve --llm: ${problems.length === 1 ? problems[0] : `\n  - ${problems.join('\n  - ')}`}`);
  return {
    name: flags.name ?? DEFAULT_LLM_NAME,
    host: flags.host,
    port: flags['http-port'],
    maxQueue: flags['max-queue'],
    maxRequestBytes: Math.round(mb * BYTES_PER_MB),
    engine: { scheduler: scheduler as SchedulerName, maxBatch: flags['max-batch'], batchWindowMs: windowMs, intraOpThreads: flags['intra-op-threads'] },
  };
}

/** The stderr line naming what the engine was asked for. */
export function formatLlmSettingsLine(options: ResolvedLlmServeOptions): string {
  const e = options.engine;
  const window = e.scheduler === 'static' ? `, batch window ${e.batchWindowMs} ms` : '';
  const queue = options.maxQueue === 0 ? 'no limit' : `${options.maxQueue} waiting sequences`;
  const threads = e.intraOpThreads === 0 ? "onnxruntime's default" : String(e.intraOpThreads);
  return `mlbench serve: llm: ${e.scheduler} batching, up to ${e.maxBatch} sequences per decode step${window}; queue ${queue}; intra-op threads ${threads}`;
}

function isScheduler(name: string): name is SchedulerName {
  return (SCHEDULERS as readonly string[]).includes(name);
}
