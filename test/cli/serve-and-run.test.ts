import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/types.js';
import { parseReadyLine } from '../../src/serve/serve-lines.js';
import { CLI, onlyRun, runCli, tempDir } from '../helpers/cli.js';

/**
 * The README's two-terminal story, end to end: `mlbench serve` in one process, `mlbench run`
 * against it over HTTP and over gRPC in another.
 */

let server: ChildProcess;
let http = '';
let grpc = '';

beforeAll(async () => {
  server = spawn(process.execPath, [CLI, 'serve', '--http-port', '0', '--grpc-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const ready = await new Promise<NonNullable<ReturnType<typeof parseReadyLine>>>((resolve, reject) => {
    createInterface({ input: server.stdout! }).on('line', (line) => {
      const parsed = parseReadyLine(line);
      if (parsed) resolve(parsed);
    });
    server.once('exit', (code) => reject(new Error(`mlbench serve exited (${code}) before it was ready`)));
  });
  http = `http://${ready.http}`;
  grpc = ready.grpc ?? '';
});

afterAll(async () => {
  if (server.exitCode !== null) return;
  const exited = new Promise((done) => server.once('exit', done));
  server.kill('SIGTERM');
  await exited;
});

const short = ['--min-duration-ms', '1500', '--max-duration-ms', '3000', '--min-query-count', '1', '--warmup-query-count', '5'];

describe('mlbench serve + mlbench run', () => {
  it('over HTTP, accuracy mode scores the served built-in model as onnxruntime does locally (98.05%)', async () => {
    const output = tempDir('serve-accuracy');
    const run = await runCli(['--scenario', 'offline', '--mode', 'accuracy', '--backend', 'kserve-http', '--url', http, '--output', output]);
    expect(run.code).toBe(0);
    const result = onlyRun(output).result as unknown as RunResult;
    expect(result.summary.accuracy).toMatchObject({ metric: 'top1', value: 0.98046875, sampleCount: 1024, passed: true });
    expect(result.remote!.protocol).toBe('kserve-http');
  });

  it('over gRPC, a Server run completes VALID with the server-side timing in the split', async () => {
    const output = tempDir('serve-grpc');
    const run = await runCli(['--scenario', 'server', '--target-qps', '50', '--backend', 'kserve-grpc', '--url', grpc, '--output', output, ...short]);
    const result = onlyRun(output).result as unknown as RunResult;
    expect(result.summary.samplesFailed + result.summary.samplesMissing).toBe(0);
    const remote = result.remote!;
    expect(remote.errorsByKind).toEqual({ refused: 0, 'server-error': 0, 'client-error': 0, connection: 0, timeout: 0, malformed: 0 });
    // One request per single-sample query, each timed on both sides.
    expect(remote.requests).toBe(result.summary.queriesIssued);
    expect(remote.networkAndServerNs!.count).toBe(remote.requests);
    expect(remote.serverComputeNs!.count).toBe(remote.requests);
    expect(remote.serverQueueNs!.count).toBe(remote.requests);
    expect(run.stdout).toContain('server: compute');
    // VALID unless this shared machine stalled past the 10 ms bound; the exit code says which.
    expect(run.code).toBe(result.validity.valid ? 0 : 3);
  });
});
