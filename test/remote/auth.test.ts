import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { AUTH_HEADER_ENV, loadAuthHeaders, redactSecrets } from '../../src/remote/auth.js';
import { KserveHttpBackend } from '../../src/remote/kserve-http-backend.js';
import { startV2TestServer, type V2TestServer } from '../helpers/v2-test-server.js';
import { rejection, remoteOptions, sample } from './fixtures.js';

const SECRET = 'Bearer s3cr3t-t0ken-value';
const dir = mkdtempSync(join(tmpdir(), 'mlbench-auth-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadAuthHeaders', () => {
  it('reads headers from the environment and a file, names lowercased', () => {
    const path = file('ok.txt', '# staging credentials\n\nX-Api-Key: abc:def\r\n  X-Tenant :  team-7  \n');
    const headers = loadAuthHeaders({ env: { [AUTH_HEADER_ENV]: `Authorization: ${SECRET}\nX-Other: 1` }, file: path });
    expect(headers).toEqual({ authorization: SECRET, 'x-other': '1', 'x-api-key': 'abc:def', 'x-tenant': 'team-7' });
  });

  it('needs neither', () => {
    expect(loadAuthHeaders({ env: {}, file: null })).toEqual({});
    expect(loadAuthHeaders({ env: { [AUTH_HEADER_ENV]: '  ' }, file: null })).toEqual({});
  });

  it('names the file and line of a malformed line without showing it', () => {
    const path = file('bad.txt', '# ok\nAuthorization: fine\nsk-live-0123456789\n');
    const error = (() => {
      try {
        loadAuthHeaders({ env: {}, file: path });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain(`auth file ${path} line 3`);
    expect(error.message).not.toContain('sk-live');
  });

  it('refuses empty values, headers given twice, transport headers and a missing file', () => {
    const cases: [string | null, string, string][] = [
      [null, 'Authorization:', `${AUTH_HEADER_ENV} line 1: header authorization has no value`],
      [null, 'A: 1\na: 2', `${AUTH_HEADER_ENV} line 2: header a is given twice`],
      [null, 'Content-Type: text/plain', 'set by mlbench itself'],
      [null, 'key-bin: abc', 'binary (-bin) gRPC metadata'],
      [join(dir, 'missing.txt'), '', 'cannot be read (ENOENT)'],
    ];
    for (const [path, env, words] of cases) {
      expect(() => loadAuthHeaders({ env: { [AUTH_HEADER_ENV]: env }, file: path })).toThrow(words);
    }
  });

  it('redacts whole values and the long words of them', () => {
    const headers = { authorization: SECRET };
    expect(redactSecrets(`got ${SECRET}; token s3cr3t-t0ken-value`, headers)).toBe('got <redacted>; token <redacted>');
    expect(redactSecrets('Bearer scheme is fine', headers)).toBe('Bearer scheme is fine');
  });
});

describe('kserve-http: credentials', () => {
  let server: V2TestServer | null = null;
  let backend: KserveHttpBackend | null = null;
  afterEach(async () => {
    await backend?.dispose();
    await server?.close();
  });

  it('sends them with every request and never shows their values', async () => {
    server = await startV2TestServer();
    const headers = loadAuthHeaders({ env: { [AUTH_HEADER_ENV]: `Authorization: ${SECRET}` }, file: file('key.txt', 'X-Api-Key: k3y-0123456789\n') });
    backend = await KserveHttpBackend.create(remoteOptions(server.url, { headers }));
    expect(server.lastHeaders()['authorization']).toBe(SECRET);
    await backend.infer([sample(0)]);
    expect(server.lastHeaders()['authorization']).toBe(SECRET);
    expect(server.lastHeaders()['x-api-key']).toBe('k3y-0123456789');
    expect(backend.description.settings['authHeaders']).toEqual(['authorization', 'x-api-key']);

    // A server that echoes the credentials in its errors.
    server.setFaults({ fail: { every: 1, httpStatus: 401, message: `bad credentials ${SECRET} / k3y-0123456789` } });
    const error = await rejection(backend.infer([sample(0)]));
    expect(error.message).toBe('client-error: HTTP 401: bad credentials <redacted> / <redacted>');
    const shown = JSON.stringify([backend.description, backend.stats(), error.message]);
    expect(shown).not.toContain('s3cr3t');
    expect(shown).not.toContain('k3y-0123456789');
  });

  it('keeps them out of setup errors too', async () => {
    server = await startV2TestServer({ models: ['a'], echoHeadersInErrors: true });
    const headers = { authorization: SECRET };
    const error = await rejection(KserveHttpBackend.create(remoteOptions(server.url, { headers, model: 'b' })));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('<redacted>');
    expect(error.message).not.toContain('s3cr3t');
  });
});
