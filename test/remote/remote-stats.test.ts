import { afterEach, describe, expect, it } from 'vitest';
import { KserveHttpBackend } from '../../src/remote/kserve-http-backend.js';
import { RemoteRecorder } from '../../src/remote/remote-recorder.js';
import { startV2TestServer, type V2TestServer } from '../helpers/v2-test-server.js';
import { remoteOptions, samples } from './fixtures.js';

describe('RemoteRecorder', () => {
  it('builds exact distributions and says where server timing came from', () => {
    const recorder = new RemoteRecorder('kserve-http', 'http://x', 'm');
    expect(recorder.stats().serverTimingSource).toBe('no successful request to read server timing from');
    for (let i = 1; i <= 4; i++) {
      const epoch = recorder.sent();
      recorder.succeeded(epoch, i * 10, i * 100, i, i <= 2 ? { mlbench_server_queue_ns: i * 7, mlbench_server_compute_ns: i * 3 } : {});
    }
    recorder.failed('timeout', recorder.sent());
    const stats = recorder.stats();
    expect(stats).toMatchObject({ protocol: 'kserve-http', url: 'http://x', model: 'm', requests: 5, retries: 0 });
    expect(stats.errorsByKind.timeout).toBe(1);
    expect(stats.serializeNs).toMatchObject({ count: 4, minNs: 10, maxNs: 40, meanNs: 25 });
    expect(stats.networkAndServerNs).toMatchObject({ count: 4, minNs: 100, maxNs: 400 });
    expect(stats.deserializeNs).toMatchObject({ count: 4, minNs: 1, maxNs: 4 });
    expect(stats.serverQueueNs).toMatchObject({ count: 2, minNs: 7, maxNs: 14 });
    expect(stats.serverComputeNs).toMatchObject({ count: 2, minNs: 3, maxNs: 6 });
    expect(stats.serverTimingSource).toBe('response parameters (mlbench_server_queue_ns, mlbench_server_compute_ns), in 2 of 4 responses');
    const before = recorder.sent();
    recorder.reset();
    expect(recorder.stats()).toMatchObject({ requests: 0, serializeNs: null, serverQueueNs: null, errorsByKind: { timeout: 0 } });
    // A try sent before the reset that ends after it belongs to neither window.
    recorder.succeeded(before, 1, 1, 1, {});
    recorder.failed('refused', before);
    recorder.retried(before);
    expect(recorder.stats()).toMatchObject({ requests: 0, retries: 0, networkAndServerNs: null, errorsByKind: { refused: 0 } });
  });
});

describe('kserve-http: the client/server timing split', () => {
  let server: V2TestServer | null = null;
  let backend: KserveHttpBackend | null = null;
  afterEach(async () => {
    await backend?.dispose();
    await server?.close();
  });

  it('times every successful request and reads the server timing parameters', async () => {
    server = await startV2TestServer({ serverTiming: true, faults: { delayMs: 20 } });
    backend = await KserveHttpBackend.create(remoteOptions(server.url, { binary: true }));
    await backend.infer(samples(2));
    backend.resetStats();
    for (let i = 0; i < 5; i++) await backend.infer(samples(3));
    const stats = backend.stats();
    expect(stats.requests).toBe(5);
    for (const part of [stats.serializeNs, stats.networkAndServerNs, stats.deserializeNs, stats.serverQueueNs, stats.serverComputeNs]) {
      expect(part?.count).toBe(5);
    }
    // The server says it held each response 20 ms; the client waited at least that long.
    expect(stats.serverQueueNs!.minNs).toBe(20_000_000);
    expect(stats.networkAndServerNs!.minNs).toBeGreaterThanOrEqual(20_000_000);
    expect(stats.serverTimingSource).toBe('response parameters (mlbench_server_queue_ns, mlbench_server_compute_ns)');
  });

  it('says so when the server sends no timing', async () => {
    server = await startV2TestServer();
    backend = await KserveHttpBackend.create(remoteOptions(server.url));
    for (let i = 0; i < 3; i++) await backend.infer(samples(1));
    const stats = backend.stats();
    expect(stats.networkAndServerNs?.count).toBe(3);
    expect(stats.serverQueueNs).toBeNull();
    expect(stats.serverComputeNs).toBeNull();
    expect(stats.serverTimingSource).toContain('the server sent no per-request timing');
  });
});
