import { existsSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/types.js';
import { onlyRun, runCli, tempDir } from '../helpers/cli.js';
import { startV2TestServer, type V2TestServer } from '../helpers/v2-test-server.js';

/**
 * Runs against a misbehaving v2 server (test/helpers/v2-test-server.ts, on loopback in this
 * process; the CLI is a child process). Each run is short: a fixed rate, no calibration.
 */

let server: V2TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const serverRun = (url: string, output: string, extra: readonly string[] = []) => [
  '--scenario', 'server',
  '--backend', 'kserve-http',
  '--url', url,
  '--target-qps', '100',
  '--latency-bound-ms', '50',
  '--min-duration-ms', '3000',
  '--max-duration-ms', '3000',
  '--min-query-count', '1',
  '--warmup-query-count', '5',
  '--output', output,
  ...extra,
];

/** Calls `fn` once the server has seen `count` infer requests (warmup is 5 + 50 at 100 QPS). */
function whenInferRequests(target: V2TestServer, count: number, fn: () => void): () => void {
  const timer = setInterval(() => {
    if (target.inferRequests() < count) return;
    clearInterval(timer);
    fn();
  }, 10);
  return () => clearInterval(timer);
}

function resultOf(output: string): RunResult {
  return onlyRun(output).result as unknown as RunResult;
}

describe('a run against a misbehaving server', () => {
  it('a 1 s stall is charged to the queries scheduled during it (no coordinated omission) and breaks the bound', async () => {
    server = await startV2TestServer();
    const output = tempDir('stall');
    const stalling = server;
    // About a second into the measured window (which starts after 55 warmup requests).
    const stop = whenInferRequests(stalling, 160, () => stalling.setFaults({ stall: { afterMs: 0, forMs: 1000 } }));
    const run = await runCli(serverRun(server.url, output, ['--connections', '256']));
    stop();
    expect(run.code).toBe(3);
    const result = resultOf(output);
    const s = result.summary;
    expect(s.samplesFailed + s.samplesMissing).toBe(0);
    // Each query scheduled during the stall waits out the rest of it, measured from its schedule:
    // about 50 of the ~300 queries wait over half a second, so p90 is over 400 ms.
    expect(s.sampleLatency!.maxNs).toBeGreaterThan(800e6);
    expect(s.sampleLatency!.percentilesNs['90']).toBeGreaterThan(400e6);
    // ...and none of them was held back by the client's cap on outstanding requests.
    expect(result.remote!.heldBackQueries).toBe(0);
    expect(result.validity.checks.find((c) => c.name === 'latencyConstraint')!.passed).toBe(false);
  });

  it('5xx answers, reset connections and malformed bodies are counted per kind, excluded, and the run completes', async () => {
    server = await startV2TestServer();
    server.setFaults({ fail: { every: 10, httpStatus: 500 }, reset: { every: 7 }, malformed: { every: 13 } });
    const output = tempDir('errors');
    const run = await runCli(serverRun(server.url, output));
    expect(run.code).toBe(3);
    const result = resultOf(output);
    const kinds = result.remote!.errorsByKind;
    expect(kinds['server-error']).toBeGreaterThan(0);
    expect(kinds.connection).toBeGreaterThan(0);
    expect(kinds.malformed).toBeGreaterThan(0);
    expect(kinds.refused + kinds['client-error'] + kinds.timeout).toBe(0);
    // One sample per request and no retries: every failed request is one failed sample.
    expect(result.summary.samplesFailed).toBe(kinds['server-error'] + kinds.connection + kinds.malformed);
    expect(result.summary.samplesCompleted).toBeGreaterThan(result.summary.samplesFailed);
    expect(result.status).toBe('completed');
    expect(result.validity.checks.find((c) => c.name === 'completedAll')!.passed).toBe(false);
    expect(run.stdout).toContain('failed requests by kind:');
  });

  it('the server dies mid-run: the run ends, what was measured is written, and the verdict says why', async () => {
    server = await startV2TestServer();
    const output = tempDir('dies');
    const dying = server;
    const stop = whenInferRequests(dying, 160, () => dying.kill());
    const started = Date.now();
    const run = await runCli(serverRun(server.url, output, ['--query-timeout-ms', '2000']));
    stop();
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.code).toBe(3);
    const result = resultOf(output);
    expect(result.summary.samplesCompleted).toBeGreaterThan(0);
    expect(result.summary.samplesFailed + result.summary.samplesMissing).toBeGreaterThan(0);
    expect(result.remote!.errorsByKind.connection).toBeGreaterThan(0);
    const completed = result.validity.checks.find((c) => c.name === 'completedAll')!;
    expect(completed.passed).toBe(false);
    expect(completed.detail).toMatch(/failed|missing/);
  });

  it('Ctrl-C with requests in flight: exit 130, the measured part written as aborted, nothing hangs', async () => {
    server = await startV2TestServer();
    // Slow answers, so requests are in flight when the signal comes.
    server.setFaults({ delayMs: 200 });
    const output = tempDir('interrupt');
    const interrupted = server;
    let stop = (): void => {};
    const run = await runCli(serverRun(server.url, output), {
      onSpawn: (kill) => {
        stop = whenInferRequests(interrupted, 120, () => kill('SIGINT'));
      },
    });
    stop();
    expect(run.code).toBe(130);
    const result = resultOf(output);
    expect(result.status).toBe('aborted');
    expect(result.summary.samplesCompleted).toBeGreaterThan(0);
    expect(result.remote!.requests).toBeGreaterThan(0);
  });

  it('an unreachable server: a clear message before the run, exit 2, nothing written', async () => {
    const output = tempDir('unreachable');
    const run = await runCli(serverRun('http://127.0.0.1:9', output));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('http://127.0.0.1:9');
    expect(existsSync(output) ? readdirSync(output) : []).toEqual([]);
  });

  it('a server that is not ready: a clear message before the run, exit 2', async () => {
    server = await startV2TestServer({ ready: false });
    const output = tempDir('not-ready');
    const run = await runCli(serverRun(server.url, output));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not ready/i);
    expect(readdirSync(output)).toEqual([]);
  });

  it('gRPC: refusals (RESOURCE_EXHAUSTED) are counted apart from errors', async () => {
    server = await startV2TestServer({ grpc: true });
    server.setFaults({ fail: { every: 5, httpStatus: 503 } });
    const output = tempDir('grpc-refused');
    const run = await runCli(serverRun(server.grpcUrl!, output).map((a) => (a === 'kserve-http' ? 'kserve-grpc' : a)));
    expect(run.code).toBe(3);
    const result = resultOf(output);
    expect(result.remote!.protocol).toBe('kserve-grpc');
    expect(result.remote!.errorsByKind.refused).toBeGreaterThan(0);
    expect(result.remote!.errorsByKind['server-error']).toBe(0);
    expect(result.summary.samplesFailed).toBe(result.remote!.errorsByKind.refused);
  });
});
