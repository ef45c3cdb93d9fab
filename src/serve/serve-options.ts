import type { GraphOptimizationLevel, OrtProvider } from '../backends/ort-backend.js';
import { UserError } from '../cli/errors.js';
import { assertModelExists, loadWorkloadFile, resolveWorkloadPath, selectPrecision, workloadForModel } from '../workloads/load-workload.js';
import { DEFAULT_WORKLOAD } from '../workloads/paths.js';
import { OrtServedModel } from './ort-model.js';
import type { ServerOptions } from './start-server.js';
import { WorkerServedModel } from './worker-model.js';

/** `mlbench serve`'s flags as yargs hands them over (see src/cli/serve-command.ts for defaults). */
export interface ServeFlagValues {
  readonly workload?: string | undefined;
  readonly model?: string | undefined;
  readonly precision: string;
  readonly name?: string | undefined;
  readonly host: string;
  readonly 'http-port': number;
  readonly 'grpc-port': number;
  readonly 'max-batch': number;
  readonly 'batch-window-ms': number;
  readonly 'preferred-batch'?: string | undefined;
  readonly 'max-queue': number;
  readonly 'max-request-mb': number;
  readonly warmup: number;
  readonly provider: OrtProvider;
  readonly 'intra-op-threads': number;
  readonly 'inter-op-threads': number;
  readonly 'graph-optimization': GraphOptimizationLevel;
  readonly 'ort-spinning': boolean;
  readonly instances: number;
}

/** More instances than this is a typo, not a plan: each is a thread and a copy of the model. */
const MAX_INSTANCES = 64;

/** Samples generated for a bare --model: enough for warmup batches. */
const MODEL_SAMPLE_COUNT = 64;
const BYTES_PER_MB = 1024 * 1024;

/**
 * Flags into server options. Every flag problem is reported at once; then the workload and its
 * model file are found (before anything listens, so a missing model never leaves a port open).
 */
export function resolveServeOptions(flags: ServeFlagValues): Omit<ServerOptions, 'log' | 'clock' | 'holdReadyUntil'> {
  const problems: string[] = [];
  const integer = (flag: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void => {
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`--${flag} ${value}: must be a whole number from ${min} to ${max}`);
  };
  integer('http-port', flags['http-port'], -1, 65535);
  integer('grpc-port', flags['grpc-port'], -1, 65535);
  if (flags['http-port'] === -1 && flags['grpc-port'] === -1) problems.push('--http-port -1 and --grpc-port -1: both transports are off; keep at least one');
  integer('max-batch', flags['max-batch'], 1);
  integer('max-queue', flags['max-queue'], 0);
  integer('warmup', flags.warmup, 0);
  integer('intra-op-threads', flags['intra-op-threads'], 0);
  integer('inter-op-threads', flags['inter-op-threads'], 0);
  integer('instances', flags.instances, 1, MAX_INSTANCES);
  const windowMs = flags['batch-window-ms'];
  if (!Number.isFinite(windowMs) || windowMs < 0) problems.push(`--batch-window-ms ${windowMs}: must be 0 or more`);
  const mb = flags['max-request-mb'];
  if (!Number.isFinite(mb) || mb <= 0) problems.push(`--max-request-mb ${mb}: must be more than 0`);
  const preferred = parsePreferred(flags['preferred-batch'] ?? '', flags['max-batch'], problems);
  if (flags.model !== undefined && flags.workload !== undefined) problems.push('--model and --workload both given: pick one (a workload file names its own model)');
  if (flags.name !== undefined && !/^[^\s/?#%]+$/.test(flags.name)) problems.push(`--name ${JSON.stringify(flags.name)}: a model name cannot be empty or hold spaces, '/', '?', '#' or '%'`);
  if (problems.length > 0) throw new UserError('flag', `mlbench serve: ${problems.length === 1 ? problems[0] : `\n  - ${problems.join('\n  - ')}`}`);

  const workload = selectPrecision(
    flags.model !== undefined
      ? workloadForModel(flags.model, MODEL_SAMPLE_COUNT)
      : loadWorkloadFile(resolveWorkloadPath(flags.workload ?? DEFAULT_WORKLOAD)),
    flags.precision,
  );
  assertModelExists(workload);
  const name = flags.name ?? workload.name;
  const instances = flags.instances;
  const ortOptions = {
    modelPath: workload.modelPath,
    provider: flags.provider,
    // Several instances with onnxruntime's default (a thread per core each) would oversubscribe the cores.
    intraOpThreads: instances > 1 && flags['intra-op-threads'] === 0 ? 1 : flags['intra-op-threads'],
    interOpThreads: flags['inter-op-threads'],
    graphOptimization: flags['graph-optimization'],
    executionMode: 'sequential' as const,
    spinning: flags['ort-spinning'],
  };
  const port = (value: number): number | null => (value === -1 ? null : value);
  return {
    name,
    load: () => (instances > 1 ? WorkerServedModel.load(name, workload, ortOptions, instances) : OrtServedModel.load(name, workload, ortOptions)),
    host: flags.host,
    httpPort: port(flags['http-port']),
    grpcPort: port(flags['grpc-port']),
    batching: { maxBatchRows: flags['max-batch'], preferredBatchRows: preferred, windowNs: Math.round(windowMs * 1e6) },
    maxQueue: flags['max-queue'],
    maxRequestBytes: Math.floor(mb * BYTES_PER_MB),
    warmupCount: flags.warmup,
  };
}

/** `4,8` -> [4, 8]: each a size from 1 to the max batch. */
function parsePreferred(text: string, maxBatch: number, problems: string[]): number[] {
  if (text.trim() === '') return [];
  const sizes = text.split(',').map((s) => Number(s.trim()));
  const bad = sizes.filter((n) => !Number.isInteger(n) || n < 1 || n > maxBatch);
  if (bad.length > 0 || sizes.length === 0) {
    problems.push(`--preferred-batch ${text}: expected sizes from 1 to --max-batch ${maxBatch}, comma-separated (e.g. 4,8)`);
    return [];
  }
  return [...new Set(sizes)].sort((a, b) => a - b);
}
