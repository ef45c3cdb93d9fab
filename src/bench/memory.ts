import { type ForceGc, obtainGc } from '../loadgen/gc.js';
import { type RunTestOutcome, runTest } from '../loadgen/run-test.js';
import { VirtualClock } from '../loadgen/virtual-clock.js';
import { benchSettings, constantNullSut, NullLibrary } from './null-run.js';
import { type SoakResult, soakInChild, soakInProcess } from './soak.js';
import { checkTarget, hrtimeNs, type Log, silent, type TargetCheck } from './types.js';

export const RETAINED_TARGET_BYTES_PER_QUERY = 64;
/**
 * "Resident memory flat after warm-up": growth allowed over the soak, for page-granular noise.
 * A 10-minute soak at 1,000 QPS is 600,000 queries, so a leak of 4 B/query already breaks it.
 */
export const SOAK_RSS_GROWTH_TARGET_MIB = 2;

/** The Recorder's typed arrays per single-sample query: 8+8+4+4 per query, 4+4+8+1 per sample. */
export const RECORDER_BYTES_PER_SINGLE_SAMPLE_QUERY = 41;

export interface MemoryOptions {
  /** Server runs on the virtual clock, one per count, each measured for retained heap. */
  readonly queryCounts: readonly number[];
  readonly virtualQps: number;
  /** Real-clock Server soak; 0 skips it. */
  readonly soakSeconds: number;
  readonly soakQps: number;
  /** 'child': in a fresh process, so RSS is not masked by memory freed earlier (the default). */
  readonly soakIn: 'child' | 'process';
}

export interface MemoryUsageBytes {
  readonly rss: number;
  readonly heapUsed: number;
  /** Off-heap memory owned by JS objects; typed-array backing stores are here. */
  readonly external: number;
  readonly arrayBuffers: number;
}

export interface RetainedRun {
  readonly queries: number;
  readonly completed: number;
  readonly wallNs: number;
  /** After a full GC before the run, after it with the outcome still referenced, and after dropping it. */
  readonly before: MemoryUsageBytes;
  readonly held: MemoryUsageBytes;
  readonly released: MemoryUsageBytes;
  /** The run's Recorder was garbage-collected once the outcome was dropped. */
  readonly recorderCollected: boolean;
  /** (heapUsed + external) held minus before, per completed query. */
  readonly retainedBytesPerQuery: number;
  /** (heapUsed + external) released minus before, per completed query: should be about 0. */
  readonly leakedBytesPerQuery: number;
  /** The Recorder's arrays at their doubled capacity for this count, per query (an estimate). */
  readonly recorderCapacityBytesPerQuery: number;
}

export interface MemoryResult {
  readonly options: MemoryOptions;
  /** Whether heap numbers follow a forced full GC (they are noise otherwise). */
  readonly gcForced: boolean;
  readonly retained: readonly RetainedRun[];
  /** Growth between the smallest and largest count, per extra query: fixed costs cancel. */
  readonly marginalBytesPerQuery: number | null;
  readonly soak: SoakResult | null;
  readonly targets: readonly TargetCheck[];
}

/**
 * What a run keeps per query: Server runs on the null backend under the virtual clock (fast,
 * exact), heap measured after a forced GC with the outcome held and after it is dropped; then
 * an RSS soak on the real clock (soak.ts).
 */
export async function runMemoryBench(options: MemoryOptions, log: Log = silent): Promise<MemoryResult> {
  const gc = obtainGc();
  // Compile the paths first so the measured runs do not count code and feedback vectors.
  await virtualServerRun(Math.min(20_000, options.queryCounts[0] ?? 20_000), options.virtualQps);
  const retained: RetainedRun[] = [];
  for (const queries of options.queryCounts) {
    const run = await measureRetained(queries, options.virtualQps, gc);
    retained.push(run);
    log(`memory ${queries} queries: ${run.retainedBytesPerQuery.toFixed(1)} B/query retained, ${run.leakedBytesPerQuery.toFixed(2)} B/query after release`);
  }
  const smallest = retained[0];
  const largest = retained[retained.length - 1];
  const marginalBytesPerQuery =
    smallest !== undefined && largest !== undefined && largest.queries > smallest.queries
      ? (total(largest.held) - total(largest.before) - (total(smallest.held) - total(smallest.before))) / (largest.completed - smallest.completed)
      : null;
  let soak: SoakResult | null = null;
  if (options.soakSeconds > 0) {
    soak = options.soakIn === 'child' ? await soakInChild(options.soakSeconds, options.soakQps) : await soakInProcess(options.soakSeconds, options.soakQps);
    log(`memory soak ${soak.seconds} s at ${soak.targetQps} QPS: RSS ${(soak.rssAfterWarmup / 2 ** 20).toFixed(1)} -> ${(soak.rssEnd / 2 ** 20).toFixed(1)} MiB, slope ${soak.rssSlopeBytesPerSecond.toFixed(0)} B/s`);
  }
  const targets = retained.map((r) =>
    checkTarget(`Memory: retained per completed query (${r.queries} queries)`, r.retainedBytesPerQuery, 'atMost', RETAINED_TARGET_BYTES_PER_QUERY, 'B/query'),
  );
  if (soak !== null) {
    const grownMiB = (soak.rssEnd - soak.rssAfterWarmup) / 2 ** 20;
    targets.push(checkTarget(`Memory: RSS growth after warm-up, ${soak.seconds} s Server soak at ${soak.targetQps} QPS`, grownMiB, 'atMost', SOAK_RSS_GROWTH_TARGET_MIB, 'MiB'));
  }
  return { options, gcForced: gc !== null, retained, marginalBytesPerQuery, soak, targets };
}

function usage(): MemoryUsageBytes {
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}

function total(m: MemoryUsageBytes): number {
  return m.heapUsed + m.external;
}

/**
 * Full collections until the numbers hold still: three readings in a row within 64 KiB. A
 * macrotask between collections matters: a value just awaited can stay in a suspended frame's
 * registers until the next await, WeakRef targets are kept until the job ends, and array
 * buffers are swept on a background thread, their bytes leaving `external` only when the sweep
 * is done, which on a loaded machine can take longer than one short wait (two equal readings
 * both still holding a swept run's buffers once made "before" larger than "held").
 */
async function settle(gc: ForceGc | null): Promise<MemoryUsageBytes> {
  if (gc === null) return usage();
  const STABLE_READINGS = 3;
  let last = Number.NaN;
  let stable = 0;
  let now = usage();
  for (let i = 0; i < 20 && stable < STABLE_READINGS - 1; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 25));
    now = usage();
    stable = Math.abs(total(now) - last) < 64 * 1024 ? stable + 1 : 0;
    last = total(now);
  }
  return now;
}

async function virtualServerRun(queries: number, qps: number): Promise<RunTestOutcome> {
  const clock = new VirtualClock();
  const settings = benchSettings({
    scenario: 'server',
    targetQps: qps,
    minDurationMs: 1,
    minQueryCount: queries,
    maxDurationMs: Math.ceil((queries / qps) * 2000) + 10_000,
    latencyPercentile: 99,
    latencyBoundMs: 10,
  });
  return runTest(constantNullSut(clock, 1000), new NullLibrary(), settings, { clock });
}

async function measureRetained(queries: number, qps: number, gc: ForceGc | null): Promise<RetainedRun> {
  const before = await settle(gc);
  const t0 = hrtimeNs();
  const holder: { outcome: RunTestOutcome | null } = { outcome: await virtualServerRun(queries, qps) };
  const wallNs = hrtimeNs() - t0;
  const held = await settle(gc);
  const { samplesCompleted: completed, queriesIssued: issued } = holder.outcome!.summary;
  const recorder = new WeakRef(holder.outcome!.recorder);
  holder.outcome = null;
  const released = await settle(gc);
  return {
    queries: issued,
    completed,
    wallNs,
    before,
    held,
    released,
    recorderCollected: recorder.deref() === undefined,
    retainedBytesPerQuery: (total(held) - total(before)) / completed,
    leakedBytesPerQuery: (total(released) - total(before)) / completed,
    recorderCapacityBytesPerQuery: (RECORDER_BYTES_PER_SINGLE_SAMPLE_QUERY * growableCapacity(issued)) / issued,
  };
}

/** Capacity a Growable array reaches for `count` items: 1024 doubled until it fits. */
function growableCapacity(count: number): number {
  let capacity = 1024;
  while (capacity < count) capacity *= 2;
  return capacity;
}
