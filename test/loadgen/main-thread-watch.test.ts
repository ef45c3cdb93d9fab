import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bottleneckCauses, summarizePauses, watchMainThread } from '../../src/loadgen/main-thread-watch.js';
import { tempDir } from '../helpers/cli.js';

const WATCH_MODULE = pathToFileURL(join(import.meta.dirname, '../../dist/loadgen/main-thread-watch.js')).href;
const TASKSET = '/usr/bin/taskset';

describe('summarizePauses', () => {
  it('counts, adds up and finds the longest pause', () => {
    expect(summarizePauses([0.5, 2, 1])).toEqual({ count: 3, totalMs: 3.5, maxMs: 2 });
    expect(summarizePauses([])).toEqual({ count: 0, totalMs: 0, maxMs: 0 });
  });
});

describe('watchMainThread', () => {
  it('counts a garbage collection that happens while it watches', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const stop = watchMainThread();
    gc();
    const stats = await stop();
    expect(stats.gcPauses.count).toBeGreaterThanOrEqual(1);
    expect(stats.gcPauses.maxMs).toBeGreaterThan(0);
    expect(stats.gcPauses.totalMs).toBeGreaterThanOrEqual(stats.gcPauses.maxMs);
    if (process.platform === 'linux') expect(stats.cpuWait).not.toBeNull();
  });

  // Three spinning worker threads pinned with the main thread to one CPU: the scheduler gives
  // the main thread about a quarter of it, so of 600 ms it waits for the CPU about 450 ms and
  // runs about 150. Run time read in place of wait time would fail the first check.
  it.skipIf(process.platform !== 'linux' || !existsSync(TASKSET))('reports the time the main thread waited for a CPU taken by other threads', () => {
    const script = join(tempDir('main-thread-watch'), 'contended.mjs');
    writeFileSync(
      script,
      `import { Worker } from 'node:worker_threads';
import { watchMainThread } from ${JSON.stringify(WATCH_MODULE)};
const workers = [1, 2, 3].map(() => new Worker('const end = Date.now() + 3000; while (Date.now() < end) {}', { eval: true }));
await new Promise((resolve) => setTimeout(resolve, 300));
const stop = watchMainThread();
const end = Date.now() + 600;
while (Date.now() < end) {}
const stats = await stop();
process.stdout.write(JSON.stringify(stats));
for (const w of workers) await w.terminate();
`,
    );
    const child = spawnSync(TASKSET, ['-c', '0', process.execPath, script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stderr).toBe('');
    const stats = JSON.parse(child.stdout) as Awaited<ReturnType<ReturnType<typeof watchMainThread>>>;
    expect(stats.cpuWait).not.toBeNull();
    expect(stats.cpuWait!.runQueueWaitMs).toBeGreaterThan(250);
    expect(stats.cpuWait!.runQueueWaitMs).toBeLessThan(900);
    expect(stats.cpuWait!.involuntarySwitches).toBeGreaterThanOrEqual(10);
  });
});

describe('bottleneckCauses', () => {
  const stats = (runQueueWaitMs: number, gcMaxMs: number) => ({
    gcPauses: { count: 3, totalMs: gcMaxMs * 2, maxMs: gcMaxMs },
    cpuWait: { runQueueWaitMs, involuntarySwitches: 41 },
  });

  it('names CPU wait of at least 1% of the window and 5 ms, and GC pauses over 10% of the bound', () => {
    expect(bottleneckCauses(stats(12.34, 2), 1e9, 10e6)).toEqual([
      'during the window the main thread waited 12.3 ms for a CPU (41 preemptions): other processes or threads took it; give the load generator cores of its own (e.g. taskset -c 0 mlbench ..., with a server on this machine pinned to other cores)',
      'garbage collection paused the main thread 3 times during the window (4.0 ms in all, longest 2.00 ms)',
    ]);
  });

  it('says nothing of waits too short to matter, or of pauses small against the bound', () => {
    expect(bottleneckCauses(stats(4.9, 0.5), 1e8, 10e6)).toEqual([]);
    expect(bottleneckCauses(stats(50, 0.5), 10e9, 10e6)).toEqual([]);
    expect(bottleneckCauses({ gcPauses: { count: 1, totalMs: 9, maxMs: 9 }, cpuWait: null }, 1e9, null)).toEqual([]);
  });
});
