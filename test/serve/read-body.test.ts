import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../src/backends/buffer-pool.js';
import { type BodyResult, readBody } from '../../src/serve/read-body.js';

/** A loopback server that reads one request body with readBody and hands the result over. */
async function readOne(send: (port: number) => Promise<void>, alignFrom: number, pool: BufferPool | null): Promise<BodyResult> {
  let server: Server | null = null;
  try {
    const result = new Promise<BodyResult>((resolve, reject) => {
      server = createServer((req, res) => {
        readBody(req, 64 * 1024 * 1024, alignFrom, pool).then((r) => {
          res.end('ok');
          resolve(r);
        }, reject);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    await send((server!.address() as AddressInfo).port);
    return await result;
  } finally {
    await new Promise((resolve) => (server as Server | null)?.close(resolve) ?? resolve(undefined));
  }
}

/** POSTs `body` in `pieces` writes; `declared` false sends it chunked, without Content-Length. */
function post(body: Buffer, pieces: number, declared: boolean): (port: number) => Promise<void> {
  return (port) =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/', headers: declared ? { 'content-length': body.byteLength } : {} }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      const size = Math.ceil(body.byteLength / pieces);
      for (let at = 0; at < body.byteLength; at += size) req.write(body.subarray(at, at + size));
      req.end();
    });
}

/** 1 MiB of a recognisable pattern: more than one socket read (64 KiB), so it arrives in several chunks. */
const LARGE = Buffer.from(Array.from({ length: 1024 * 1024 }, (_, i) => (i * 7) % 251));

describe('readBody', () => {
  it('copies a body of several chunks once, into a pooled buffer, with byte alignFrom on a multiple of 8', async () => {
    const pool = new BufferPool();
    for (const alignFrom of [0, 1, 150, 1003]) {
      const read = await readOne(post(LARGE, 16, true), alignFrom, pool);
      if (read.kind !== 'body') throw new Error('expected a body');
      expect(read.body.equals(LARGE)).toBe(true);
      expect((read.body.byteOffset + alignFrom) % 8).toBe(0);
      expect(read.pooled).not.toBeNull();
      expect(read.body.buffer).toBe(read.pooled!.buffer);
    }
  });

  it('without a pool, still lays the body out aligned', async () => {
    const read = await readOne(post(LARGE, 16, true), 13, null);
    if (read.kind !== 'body') throw new Error('expected a body');
    expect(read.body.equals(LARGE)).toBe(true);
    expect((read.body.byteOffset + 13) % 8).toBe(0);
    expect(read.pooled).toBeNull();
  });

  it('uses a body that came in one chunk as it is', async () => {
    const small = Buffer.from('{"inputs": []}');
    const read = await readOne(post(small, 1, true), 0, new BufferPool());
    if (read.kind !== 'body') throw new Error('expected a body');
    expect(read.body.toString()).toBe('{"inputs": []}');
    expect(read.pooled).toBeNull();
  });

  it('joins a chunked body with no declared length', async () => {
    const read = await readOne(post(LARGE, 16, false), 5, new BufferPool());
    if (read.kind !== 'body') throw new Error('expected a body');
    expect(read.body.equals(LARGE)).toBe(true);
    expect(read.pooled).toBeNull();
  });
});
