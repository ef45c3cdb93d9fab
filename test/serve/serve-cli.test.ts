import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { parseReadyLine } from '../../src/serve/serve-lines.js';
import { CLI, runCli, tempDir } from '../helpers/cli.js';

interface Served {
  readonly child: ChildProcessWithoutNullStreams;
  readonly http: string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** Spawns `mlbench serve ARGS` and waits for its ready line. */
function serve(args: readonly string[]): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const ready = parseReadyLine(line);
      if (ready === null) return reject(new Error(`unexpected stdout line: ${line}`));
      resolve({ child, http: `http://${ready.http}`, stderr: () => stderr, exited });
    });
    void exited.then((code) => reject(new Error(`mlbench serve exited (${code}) before it was ready: ${stderr}`)));
  });
}

describe('mlbench serve (the CLI)', () => {
  it.each([
    ['on the main thread', 1, 'loaded: inputs'],
    ['on two worker threads (--instances 2)', 2, 'loaded (2 instances, each on a worker thread): inputs'],
  ])('%s: prints the ready line, serves, and on SIGTERM finishes the request in flight, then exits 0', async (_where, instances, loaded) => {
    // A long batch window keeps the request queued until the signal; draining sends it at once.
    const served = await serve(['--http-port', '0', '--grpc-port', '0', '--batch-window-ms', '30000', '--intra-op-threads', '1', '--warmup', '2', '--instances', String(instances)]);
    const { http } = served;
    expect(served.stderr()).toContain(`mlbench serve: model shapes-cnn ${loaded} image FP32 [-1, 3, 32, 32]`);
    expect((await fetch(`${http}/v2/health/ready`)).status).toBe(200);
    const body = JSON.stringify({ inputs: [{ name: 'image', datatype: 'FP32', shape: [1, 3, 32, 32], data: new Array(3072).fill(0.25) }] });
    const inFlight = fetch(`${http}/v2/models/shapes-cnn/infer`, { method: 'POST', body });
    for (;;) {
      const stats = (await (await fetch(`${http}/v2/models/shapes-cnn/stats`)).json()) as { model_stats: { mlbench: { queued_requests: number } }[] };
      if (stats.model_stats[0]!.mlbench.queued_requests === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    served.child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { outputs: { shape: number[] }[]; parameters: Record<string, number> };
    expect(answer.outputs[0]!.shape).toEqual([1, 10]);
    expect(await served.exited).toBe(0);
    expect(served.child.exitCode).toBe(0);
    expect(() => process.kill(served.child.pid!, 0)).toThrow();
    expect(served.stderr()).toMatch(/SIGTERM: finishing the requests in progress/);
    expect(served.stderr()).toMatch(/stopped: 1 request answered, 0 failed, 0 refused \(queue full\); 1 batch \(rows x count: 1x1\)/);
  });

  it('a port in use exits 2 naming the port and what to do', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = await runCli(['serve', '--http-port', String(port), '--grpc-port', '0']);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`--http-port ${port}: 127.0.0.1:${port} is already in use; pick another port with --http-port, or --http-port 0 for any free one`);
    } finally {
      blocker.close();
    }
  });

  it('bad flags exit 2 with every problem at once; a missing model file too', async () => {
    const flags = await runCli(['serve', '--max-batch', '0', '--preferred-batch', '3,x', '--http-port', '-1', '--grpc-port', '-1']);
    expect(flags.code).toBe(2);
    expect(flags.stderr).toContain('--max-batch 0: must be a whole number from 1');
    expect(flags.stderr).toContain('--preferred-batch 3,x');
    expect(flags.stderr).toContain('both transports are off');
    const missing = await runCli(['serve', '--model', '/nonexistent/model.onnx', '--http-port', '0']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--model /nonexistent/model.onnx: file not found');
  });

  it('a model onnxruntime cannot load exits 2 after closing its ports, never printing the ready line', async () => {
    const path = join(tempDir('serve-bad-model'), 'bad.onnx');
    writeFileSync(path, 'not an onnx model');
    const run = await runCli(['serve', '--model', path, '--http-port', '0', '--grpc-port', '0']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${path}: onnxruntime could not load this model`);
  });
});
