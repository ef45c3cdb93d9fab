import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeInferRequest } from '../../kserve/http-codec.js';
import { checkTarget, type Log, silent, type TargetCheck } from '../types.js';
import { BENCH_MODEL } from './bench-model.js';
import { startChild } from './child-process.js';
import { runAutocannon, runWrk, type ToolResult } from './load-tools.js';
import { highestPassingRate, type ProbeResult } from './mlbench-probe.js';

export interface ClientOptions {
  /** Seconds per autocannon / wrk run. */
  readonly toolSeconds: number;
  readonly toolConnections: readonly number[];
  /** Each mlbench probe's measured length. */
  readonly probeMs: number;
  readonly bisections: number;
  readonly startQps: number;
  readonly maxQps: number;
  /** mlbench's HTTP pool size (and cap on outstanding requests). */
  readonly connections: number;
}

export const ISSUE_DELAY_LIMIT_NS = 1_000_000;

export interface ClientResult {
  readonly options: ClientOptions;
  readonly http: {
    readonly autocannon: ToolResult;
    readonly wrk: ToolResult;
    readonly mlbench: { readonly bestQps: number; readonly probes: readonly ProbeResult[] };
  };
  readonly grpc: { readonly mlbench: { readonly bestQps: number; readonly probes: readonly ProbeResult[] } };
  readonly targets: readonly TargetCheck[];
}

const SERVER_SCRIPT = fileURLToPath(new URL('./constant-server.js', import.meta.url));

/**
 * Client throughput against the constant v2 server (its own process, so its own core): the best
 * autocannon and wrk manage, and the highest Server rate at which mlbench keeps issue delay p99
 * within 1 ms with every request answered. Same request body (one FP32 [1, 4] tensor as JSON).
 */
export async function runClientBench(options: ClientOptions, log: Log = silent): Promise<ClientResult> {
  const scratch = await mkdtemp(join(tmpdir(), 'mlbench-client-bench-'));
  try {
    const http = await startChild([SERVER_SCRIPT, 'http'], /^port \d+$/);
    let httpResult: ClientResult['http'];
    try {
      const port = Number(http.line.split(' ')[1]);
      const url = `http://127.0.0.1:${port}`;
      const { body } = encodeInferRequest([{ name: 'input', datatype: 'FP32', shape: [1, 4], data: new Float32Array([1, 2, 3, 4]) }], {
        binaryInputs: false,
        binaryOutputs: false,
      });
      const target = { url: `${url}/v2/models/${BENCH_MODEL}/infer`, body: body.toString(), contentType: 'application/json' };
      log(`autocannon: ${options.toolConnections.join(', ')} connections, ${options.toolSeconds} s each`);
      const ac = await runAutocannon(target, options.toolConnections, options.toolSeconds);
      log(`wrk: same`);
      const wrk = await runWrk(target, options.toolConnections, options.toolSeconds, scratch);
      log('mlbench over HTTP: searching the highest rate with issue delay p99 <= 1 ms');
      const mlbench = await search(options, scratch, 'kserve-http', url, ['--tensor-format', 'json', '--connections', String(options.connections)]);
      httpResult = { autocannon: ac, wrk, mlbench };
    } finally {
      await http.stop();
    }
    const grpc = await startChild([SERVER_SCRIPT, 'grpc'], /^port \d+$/);
    let grpcResult: ClientResult['grpc'];
    try {
      log('mlbench over gRPC: the same search');
      const mlbench = await search(options, scratch, 'kserve-grpc', `127.0.0.1:${grpc.line.split(' ')[1]}`, []);
      grpcResult = { mlbench };
    } finally {
      await grpc.stop();
    }
    const targets = [
      checkTarget('HTTP client: mlbench QPS (issue delay p99 <= 1 ms) vs autocannon req/s', httpResult.mlbench.bestQps, 'atLeast', httpResult.autocannon.bestRequestsPerSecond, 'req/s'),
    ];
    return { options, http: httpResult, grpc: grpcResult, targets };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** mlbench's highest rate with issue delay p99 within the limit, against the bench model at `url`. */
function search(options: ClientOptions, scratch: string, backend: 'kserve-http' | 'kserve-grpc', url: string, extraArgs: readonly string[]) {
  const setup = { backend, url, model: BENCH_MODEL, extraArgs, durationMs: options.probeMs, issueDelayLimitNs: ISSUE_DELAY_LIMIT_NS, output: scratch };
  return highestPassingRate(setup, options.startQps, options.bisections, options.maxQps);
}
