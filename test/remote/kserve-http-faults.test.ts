import { afterEach, describe, expect, it } from 'vitest';
import { KserveHttpBackend } from '../../src/remote/kserve-http-backend.js';
import { RemoteError, type RemoteErrorKind, type RemoteOptions } from '../../src/remote/types.js';
import { startV2TestServer, type V2Faults, type V2TestServer } from '../helpers/v2-test-server.js';
import { rejection, remoteOptions, sample } from './fixtures.js';

let server: V2TestServer | null = null;
let backend: KserveHttpBackend | null = null;

async function start(faults: V2Faults, clientOptions: Partial<RemoteOptions> = {}): Promise<KserveHttpBackend> {
  server = await startV2TestServer();
  backend = await KserveHttpBackend.create(remoteOptions(server.url, clientOptions));
  server.setFaults(faults);
  return backend;
}

afterEach(async () => {
  await backend?.dispose();
  await server?.close();
  backend = null;
  server = null;
});

/** Runs `count` infers one after another; the outcome of each: 'ok' or the error kind. */
async function outcomes(client: KserveHttpBackend, count: number): Promise<(RemoteErrorKind | 'ok')[]> {
  const out: (RemoteErrorKind | 'ok')[] = [];
  for (let i = 0; i < count; i++) {
    try {
      await client.infer([sample(i)]);
      out.push('ok');
    } catch (error) {
      expect(error).toBeInstanceOf(RemoteError);
      out.push((error as RemoteError).kind);
    }
  }
  return out;
}

const NONE = { refused: 0, 'server-error': 0, 'client-error': 0, connection: 0, timeout: 0, malformed: 0 };

describe('kserve-http: failed requests by kind', () => {
  const cases: [string, V2Faults, RemoteErrorKind][] = [
    ['a 500', { fail: { every: 2, httpStatus: 500 } }, 'server-error'],
    ['a 503 (admission control)', { fail: { every: 2, httpStatus: 503, retryAfterS: 2 } }, 'refused'],
    ['a 400', { fail: { every: 2, httpStatus: 400, message: 'shape [1, 4] is wrong' } }, 'client-error'],
    ['a reset connection', { reset: { every: 2 } }, 'connection'],
    ['a malformed body', { malformed: { every: 2 } }, 'malformed'],
  ];
  for (const [what, faults, kind] of cases) {
    it(`counts ${what} as ${kind}, and goes on`, async () => {
      const client = await start(faults);
      expect(await outcomes(client, 6)).toEqual(['ok', kind, 'ok', kind, 'ok', kind]);
      const stats = client.stats();
      expect(stats.requests).toBe(6);
      expect(stats.retries).toBe(0);
      expect(stats.errorsByKind).toEqual({ ...NONE, [kind]: 3 });
      expect(stats.networkAndServerNs?.count).toBe(3);
    });
  }

  it("quotes the server's error and Retry-After", async () => {
    const client = await start({ fail: { every: 1, httpStatus: 503, retryAfterS: 2, message: 'queue full' } });
    const refused = await rejection(client.infer([sample(0)]));
    expect(refused.message).toBe('refused: HTTP 503 (Retry-After: 2): queue full');
    server!.setFaults({ fail: { every: 1, httpStatus: 400, message: 'bad shape' } });
    expect((await rejection(client.infer([sample(0)]))).message).toBe('client-error: HTTP 400: bad shape');
  });
});

describe('kserve-http: retries', () => {
  it('retries a failed request, counts the retry, and returns the answer', async () => {
    // Tries 2, 4, 6 fail: infers 2..4 each need one retry.
    const client = await start({ fail: { every: 2, httpStatus: 500 } }, { retries: 1 });
    expect(await outcomes(client, 4)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const stats = client.stats();
    expect(stats.requests).toBe(7);
    expect(stats.retries).toBe(3);
    expect(stats.errorsByKind).toEqual({ ...NONE, 'server-error': 3 });
    expect(server!.inferRequests()).toBe(7);
  });

  it('gives up after the retries allowed', async () => {
    const client = await start({ fail: { every: 1, httpStatus: 503 } }, { retries: 2 });
    expect(await outcomes(client, 1)).toEqual(['refused']);
    expect(client.stats()).toMatchObject({ requests: 3, retries: 2, errorsByKind: { ...NONE, refused: 3 } });
  });

  it('never retries a client error or a malformed answer', async () => {
    const client = await start({ fail: { every: 1, httpStatus: 404 } }, { retries: 3 });
    expect(await outcomes(client, 1)).toEqual(['client-error']);
    server!.setFaults({ malformed: { every: 1 } });
    expect(await outcomes(client, 1)).toEqual(['malformed']);
    expect(client.stats()).toMatchObject({ requests: 2, retries: 0 });
  });
});

describe('kserve-http: a stalled or dead server never hangs the client', () => {
  it('times a request out', async () => {
    const client = await start({ delayMs: 20_000 }, { requestTimeoutMs: 200 });
    const started = performance.now();
    const error = await rejection(client.infer([sample(0)]));
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).kind).toBe('timeout');
    expect(error.message).toContain('200 ms');
    expect(performance.now() - started).toBeLessThan(5000);
    // A request still waiting for the pool's only connection times out on time too.
    const queued = [rejection(client.infer([sample(1)])), rejection(client.infer([sample(2)]))];
    expect((await Promise.all(queued)).map((e) => (e as RemoteError).kind)).toEqual(['timeout', 'timeout']);
    // The pool replaces the connection it gave up on: the next request is answered.
    server!.setFaults({});
    await client.infer([sample(3)]);
    expect(client.stats().errorsByKind.timeout).toBe(3);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('rejects every pending request when the server dies', async () => {
    const client = await start({ delayMs: 20_000 }, { connections: 3 });
    const pending = [0, 1, 2].map((i) => rejection(client.infer([sample(i)])));
    while (server!.inferRequests() < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    server!.kill();
    const errors = await Promise.all(pending);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(errors.map((e) => (e as RemoteError).kind)).toEqual(['connection', 'connection', 'connection']);
    expect(client.stats().errorsByKind.connection).toBe(3);
    // And later requests fail at once rather than wait, also once the client is disposed.
    expect(await outcomes(client, 1)).toEqual(['connection']);
    await client.dispose();
    expect(await outcomes(client, 1)).toEqual(['connection']);
  });

  it('rejects requests still in flight when disposed', async () => {
    const client = await start({ delayMs: 20_000 });
    const pending = rejection(client.infer([sample(0)]));
    while (server!.inferRequests() < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await client.dispose();
    expect(((await pending) as RemoteError).kind).toBe('connection');
  });

  it('holds responses during a stall, then answers them', async () => {
    const client = await start({ stall: { afterMs: 0, forMs: 300 } });
    const started = performance.now();
    await client.infer([sample(0)]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });
});
