import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as immediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runTest } from '../../src/loadgen/run-test.js';
import { VirtualClock } from '../../src/loadgen/virtual-clock.js';
import { FakeLibrary, nullSut, settings } from '../helpers/fakes.js';

/** Major (mark-compact) collections while `body` runs. */
async function majorCollectionsDuring(body: () => Promise<unknown>): Promise<number> {
  let majors = 0;
  const count = (entries: readonly PerformanceEntry[]): void => {
    for (const entry of entries) if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++;
  };
  const observer = new PerformanceObserver((list) => count(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  await body();
  await immediate();
  count(observer.takeRecords());
  observer.disconnect();
  return majors;
}

function smallRun(collectGarbageFirst: boolean, mode: 'performance' | 'accuracy') {
  const clock = new VirtualClock();
  const s = settings({ scenario: 'singlestream', mode, minDurationMs: 10, minQueryCount: 16, warmupQueryCount: 0 });
  return runTest(nullSut(clock, { serviceTimeNs: 1_000_000 }), new FakeLibrary(16), s, { clock, collectGarbageFirst });
}

describe('collectGarbageFirst', () => {
  it('runs a full collection before a performance window, outside the window it reports', async () => {
    let outcome: Awaited<ReturnType<typeof smallRun>> | null = null;
    const majors = await majorCollectionsDuring(async () => {
      outcome = await smallRun(true, 'performance');
    });
    expect(majors).toBeGreaterThanOrEqual(1);
    // The window's own watch starts after it: a 16-query virtual-clock run makes no major collection.
    expect(outcome!.summary.mainThread?.gcPauses.count).toBe(0);
  });

  it('leaves accuracy runs alone', async () => {
    expect(await majorCollectionsDuring(() => smallRun(true, 'accuracy'))).toBe(0);
  });
});
