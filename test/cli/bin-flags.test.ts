import { execFile } from 'node:child_process';
import { chmodSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { V8_HEAP_FLAGS } from '../../src/cli/cli-process.js';
import { CLI, tempDir } from '../helpers/cli.js';

const run = promisify(execFile);
const SHEBANG = `#!/usr/bin/env -S node ${V8_HEAP_FLAGS.join(' ')}`;

describe('the mlbench bin runs node with the V8 heap flags', () => {
  it('the shebang of the source and of the built bin pass exactly V8_HEAP_FLAGS', () => {
    const source = new URL('../../src/cli/main.ts', import.meta.url);
    expect(readFileSync(source, 'utf8').split('\n')[0]).toBe(SHEBANG);
    expect(readFileSync(CLI, 'utf8').split('\n')[0]).toBe(SHEBANG);
  });

  it('run through a bin link, as npm installs it, a result records the flags it ran under', async () => {
    // npm makes a bin executable and links it from node_modules/.bin; do the same here.
    chmodSync(CLI, statSync(CLI).mode | 0o755);
    const dir = tempDir('bin-link');
    const bin = join(dir, 'mlbench');
    symlinkSync(CLI, bin);
    const out = join(dir, 'results');
    const args = ['--scenario', 'singlestream', '--backend', 'null', '--service-time-ms', '1', '--min-duration-ms', '200', '--min-query-count', '10', '--output', out, '--json'];
    const { stdout } = await run(bin, args, { env: { ...process.env, NO_COLOR: '1' } }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const result = JSON.parse(stdout) as { system: { nodeFlags?: string[] } };
    expect(result.system.nodeFlags).toEqual([...V8_HEAP_FLAGS]);
  });
});
