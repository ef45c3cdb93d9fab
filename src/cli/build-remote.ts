import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendName } from '../backends/types.js';
import type { TestSettings } from '../loadgen/settings.js';
import type { Clock } from '../loadgen/types.js';
import { loadAuthHeaders } from '../remote/auth.js';
import { createRemoteBackend } from '../remote/create-remote-backend.js';
import { REMOTE_BACKENDS, type RemoteBackend, type RemoteBackendName } from '../remote/types.js';
import { loadWorkloadFile, resolveWorkloadPath } from '../workloads/load-workload.js';
import { BUILTIN_WORKLOADS_DIR } from '../workloads/paths.js';
import type { WorkloadDefinition } from '../workloads/types.js';
import { type SutBundle, wrapBackend } from './build-sut.js';
import { UserError } from './errors.js';
import type { RunFlags } from './run-flags.js';

/** HTTP/1.1 without pipelining: one request per connection at a time. gRPC multiplexes one channel. */
const DEFAULT_GRPC_MAX_OUTSTANDING = 128;

export function isRemoteBackend(name: BackendName): name is RemoteBackendName {
  return (REMOTE_BACKENDS as readonly string[]).includes(name);
}

/**
 * Connects to the server before anything runs: unreachable, not ready, unknown model and bad
 * credentials files all end here with a UserError. `queryTimeoutMs` is the fallback request timeout.
 */
export async function connectRemote(flags: RunFlags, name: RemoteBackendName, queryTimeoutMs: number): Promise<RemoteBackend> {
  if (flags.url === undefined) {
    const example = name === 'kserve-http' ? 'http://127.0.0.1:8000' : '127.0.0.1:8001';
    throw new UserError('flag', `--backend ${name} needs --url, e.g. --url ${example}`);
  }
  const headers = loadAuthHeaders({ env: process.env, file: flags['auth-file'] ?? null });
  return createRemoteBackend(name, {
    url: flags.url,
    model: flags.model ?? null,
    modelVersion: flags['model-version'],
    binary: flags['tensor-format'] === 'binary',
    connections: positiveInteger(flags.connections, '--connections'),
    requestTimeoutMs: flags['request-timeout-ms'] > 0 ? flags['request-timeout-ms'] : queryTimeoutMs,
    retries: Math.max(0, Math.floor(flags.retries)),
    headers,
  });
}

/**
 * The samples to send: --workload when given; else the built-in workload of the served model's
 * name (so `mlbench serve` + `mlbench --backend kserve-http` measures accuracy too); else inputs
 * generated from the model's metadata.
 */
export function workloadForRemote(flags: RunFlags, remote: RemoteBackend): { workload: WorkloadDefinition; note: string } {
  if (flags.workload !== undefined) {
    const workload = servedPrecision(loadWorkloadFile(resolveWorkloadPath(flags.workload)));
    return { workload, note: `samples from workload ${workload.name}, sent to model ${remote.modelName} at ${flags.url}` };
  }
  const builtin = join(BUILTIN_WORKLOADS_DIR, remote.modelName, 'workload.json');
  if (existsSync(builtin)) {
    const workload = servedPrecision(loadWorkloadFile(builtin));
    return { workload, note: `samples from the built-in workload ${workload.name} (the served model has its name); pass --workload to choose another` };
  }
  const sampleCount = positiveInteger(flags['sample-count'], '--sample-count');
  return {
    workload: {
      name: remote.modelName,
      source: `${remote.protocol} ${flags.url} model ${remote.modelName}`,
      modelPath: '',
      tfjsModelPath: null,
      precision: null,
      calibration: null,
      variants: {},
      dataset: { kind: 'random', seed: 0, sampleCount },
      performanceSampleCount: sampleCount,
      accuracy: null,
      defaults: {},
    },
    note: `inputs generated from the model's metadata (${sampleCount} samples); accuracy cannot be scored without a workload`,
  };
}

/** The workload's samples, but the model is the server's: its precision is not known here. */
function servedPrecision(workload: WorkloadDefinition): WorkloadDefinition {
  return { ...workload, precision: null, calibration: null };
}

/** The remote backend behind the batching SUT, its cap on outstanding requests set. */
export function bundleRemote(
  remote: RemoteBackend,
  flags: RunFlags,
  workload: WorkloadDefinition,
  note: string,
  settings: TestSettings,
  clock: Clock,
): SutBundle {
  const maxOutstanding = maxOutstandingFor(flags, remote.protocol);
  return wrapBackend(remote, flags, workload, settings, clock, {
    file: null,
    notes: [`model ${remote.modelName} served at ${flags.url} (${remote.protocol})`, note],
    maxInFlight: maxOutstanding,
    remote,
  });
}

function maxOutstandingFor(flags: RunFlags, protocol: RemoteBackendName): number {
  const given = flags['max-outstanding'];
  if (given === undefined) return protocol === 'kserve-http' ? positiveInteger(flags.connections, '--connections') : DEFAULT_GRPC_MAX_OUTSTANDING;
  const cap = positiveInteger(given, '--max-outstanding');
  if (protocol === 'kserve-http' && cap > flags.connections) {
    throw new UserError(
      'flag',
      `--max-outstanding ${cap} exceeds --connections ${flags.connections}: over HTTP/1.1 the extra requests would queue unseen in the connection pool; raise --connections to at least ${cap}`,
    );
  }
  return cap;
}

function positiveInteger(value: number, flag: string): number {
  if (!Number.isInteger(value) || value < 1) throw new UserError('flag', `${flag} ${value}: must be a whole number of at least 1`);
  return value;
}
