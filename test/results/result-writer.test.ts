import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResultWriter, runIdFor } from '../../src/results/result-writer.js';
import type { RunResult } from '../../src/results/types.js';
import { REMOVE, rawResultWith, serverResult } from '../fixtures/result-fixture.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mlbench-writer-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const lines = async (file: string): Promise<unknown[]> =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);

describe('ResultWriter', () => {
  it('makes the run folder under a root that does not exist yet', async () => {
    const writer = await ResultWriter.create(join(root, 'results', 'nested'), 'run-1');
    expect(writer.dir).toBe(join(root, 'results', 'nested', 'run-1'));
    expect(await readdir(writer.dir)).toEqual(['detail.jsonl']);
    await writer.close();
  });

  it('makes detail lines readable after flushDetail, before finish', async () => {
    const writer = await ResultWriter.create(root, 'run-1');
    for (let i = 0; i < 1000; i++) writer.appendDetail({ type: 'progress', i });
    await writer.flushDetail();
    const records = await lines(join(writer.dir, 'detail.jsonl'));
    expect(records).toHaveLength(1000);
    expect(records[999]).toEqual({ type: 'progress', i: 999 });
    await writer.close();
  });

  it('writes result.json and summary.txt, and closes the detail stream', async () => {
    const writer = await ResultWriter.create(root, 'run-1');
    writer.appendDetail({ type: 'phase', phase: 'measure', originNs: 0 });
    await writer.finish(serverResult, 'summary text');
    expect((await readdir(writer.dir)).sort()).toEqual(['detail.jsonl', 'result.json', 'summary.txt']);
    const json = await readFile(join(writer.dir, 'result.json'), 'utf8');
    expect(json).toBe(`${JSON.stringify(serverResult, null, 2)}\n`);
    expect(await readFile(join(writer.dir, 'summary.txt'), 'utf8')).toBe('summary text\n');
    expect(await lines(join(writer.dir, 'detail.jsonl'))).toEqual([{ type: 'phase', phase: 'measure', originNs: 0 }]);
    expect(() => writer.appendDetail({})).toThrow(/already closed/);
  });

  it('finishes after the detail stream was closed by an abort, closing it only once', async () => {
    const writer = await ResultWriter.create(root, 'run-1');
    writer.appendDetail({ type: 'progress' });
    const closing = writer.close();
    await writer.finish(serverResult, 'aborted\n');
    await closing;
    await writer.close();
    expect(await lines(join(writer.dir, 'detail.jsonl'))).toEqual([{ type: 'progress' }]);
    expect(await readFile(join(writer.dir, 'summary.txt'), 'utf8')).toBe('aborted\n');
    await expect(writer.finish(serverResult, 'again')).rejects.toThrow(/already written/);
  });

  it('keeps an invalid result as result.rejected.json and throws its problems', async () => {
    const writer = await ResultWriter.create(root, 'run-1');
    const broken = rawResultWith('summary.durationNs', REMOVE) as unknown as RunResult;
    const error = await writer.finish(broken, 'summary').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain('result.rejected.json');
    expect(message).toContain(`${join(writer.dir, 'result.json')}: $.summary: missing required property 'durationNs'`);
    expect((await readdir(writer.dir)).sort()).toEqual(['detail.jsonl', 'result.rejected.json', 'summary.txt']);
    expect(JSON.parse(await readFile(join(writer.dir, 'result.rejected.json'), 'utf8'))).toEqual(broken);
  });

  it('refuses a run folder that already exists', async () => {
    const first = await ResultWriter.create(root, 'run-1');
    await first.close();
    await expect(ResultWriter.create(root, 'run-1')).rejects.toThrow(/already exists/);
  });
});

describe('runIdFor', () => {
  it('starts with the UTC time and names the scenario', () => {
    expect(runIdFor('server', new Date('2026-11-23T18:32:05.987Z'))).toMatch(/^20261123T183205Z-server-[0-9a-f]{6}$/);
  });

  it('sorts by start time and stays unique within a second', () => {
    const times = ['2026-01-02T03:04:05Z', '2026-01-02T03:04:06Z', '2026-10-01T00:00:00Z', '2027-01-01T00:00:00Z'];
    const ids = times.map((t) => runIdFor('offline', new Date(t)));
    expect([...ids].reverse().sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 100 }, () => runIdFor('offline', new Date(times[0] ?? ''))));
    expect(same.size).toBe(100);
  });
});
