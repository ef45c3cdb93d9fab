import type { DetailRecord } from './types.js';

/** One time bucket of the measured phase, from detail.jsonl. */
export interface TimelineBucket {
  /** Bucket start, seconds from the phase's first query. */
  readonly startS: number;
  /** Samples whose queries were scheduled in the bucket, per second. */
  readonly offeredPerS: number;
  /** Samples that completed in the bucket, per second. */
  readonly completedPerS: number;
  readonly failedPerS: number;
  /** p99 latency (completion minus schedule) of samples scheduled in the bucket; null if none. */
  readonly latencyP99Ms: number | null;
  /** p99 of issue minus schedule of queries scheduled in the bucket; null if none. */
  readonly issueDelayP99Ms: number | null;
}

export interface Timeline {
  /** 'measure' for performance runs, 'accuracy' for accuracy runs (one or the other). */
  readonly phase: TimedPhase;
  readonly bucketMs: number;
  readonly buckets: readonly TimelineBucket[];
}

/** Bucket widths to pick from: the smallest giving at most MAX_BUCKETS, so short runs still show a shape. */
const BUCKET_STEPS_MS = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000];
const MAX_BUCKETS = 40;
/** The phases that are the run itself, not its warmup or calibration. */
const TIMED_PHASES = ['measure', 'accuracy'] as const;
export type TimedPhase = (typeof TIMED_PHASES)[number];
const COMPLETED = 1;
const FAILED = 2;

/** The measured (or accuracy) phase of a run as time buckets; null when it has no such queries. */
export function buildTimeline(detail: readonly DetailRecord[]): Timeline | null {
  const phase = TIMED_PHASES.find((p) => detail.some((rec) => rec.type === 'queries' && rec.phase === p));
  if (phase === undefined) return null;
  const scheduled: number[] = [];
  const issued: number[] = [];
  const completed: number[] = [];
  const status: number[] = [];
  for (const rec of detail) {
    if (rec.type === 'queries' && rec.phase === phase) {
      for (let i = 0; i < rec.scheduledNs.length; i++) {
        scheduled[rec.firstQuery + i] = rec.scheduledNs[i] ?? Number.NaN;
        issued[rec.firstQuery + i] = rec.issuedNs[i] ?? Number.NaN;
      }
    } else if (rec.type === 'samples' && rec.phase === phase) {
      for (let i = 0; i < rec.completedNs.length; i++) {
        completed[rec.firstSample + i] = rec.completedNs[i] ?? Number.NaN;
        status[rec.firstSample + i] = rec.status[i] ?? 0;
      }
    }
  }
  if (scheduled.length === 0 || completed.length === 0) return null;
  // Samples are issued contiguously, query by query, the same number per query (1 in Server,
  // samplesPerQuery in MultiStream, all of them in Offline's one query).
  const perQuery = Math.max(1, Math.round(completed.length / scheduled.length));

  let endNs = 0;
  for (const t of [...scheduled, ...completed]) if (Number.isFinite(t) && t > endNs) endNs = t;
  const bucketMs = BUCKET_STEPS_MS.find((ms) => endNs / 1e6 / ms <= MAX_BUCKETS) ?? BUCKET_STEPS_MS.at(-1)!;
  const bucketNs = bucketMs * 1e6;
  const n = Math.floor(endNs / bucketNs) + 1;
  const bucketOf = (t: number) => Math.min(n - 1, Math.max(0, Math.floor(t / bucketNs)));

  const offered = new Array<number>(n).fill(0);
  const done = new Array<number>(n).fill(0);
  const failed = new Array<number>(n).fill(0);
  const latencies: number[][] = Array.from({ length: n }, () => []);
  const delays: number[][] = Array.from({ length: n }, () => []);
  for (let q = 0; q < scheduled.length; q++) {
    const s = scheduled[q] ?? Number.NaN;
    if (!Number.isFinite(s)) continue;
    offered[bucketOf(s)]! += perQuery;
    const i = issued[q] ?? Number.NaN;
    if (Number.isFinite(i)) delays[bucketOf(s)]!.push(i - s);
  }
  for (let k = 0; k < completed.length; k++) {
    const c = completed[k] ?? Number.NaN;
    const s = scheduled[Math.floor(k / perQuery)] ?? Number.NaN;
    if (status[k] === FAILED && Number.isFinite(c)) failed[bucketOf(c)]!++;
    if (status[k] !== COMPLETED || !Number.isFinite(c)) continue;
    done[bucketOf(c)]!++;
    if (Number.isFinite(s)) latencies[bucketOf(s)]!.push(c - s);
  }
  // The last bucket is partial: rates over its covered width, and dropped when under half a
  // bucket, where a handful of late completions would read as a spike.
  const lastWidthNs = endNs - (n - 1) * bucketNs;
  const widthS = (b: number) => (b === n - 1 ? lastWidthNs : bucketNs) / 1e9;
  const shown = n > 1 && lastWidthNs < bucketNs / 2 ? n - 1 : n;
  const buckets: TimelineBucket[] = [];
  for (let b = 0; b < shown; b++) {
    buckets.push({
      startS: (b * bucketNs) / 1e9,
      offeredPerS: offered[b]! / widthS(b),
      completedPerS: done[b]! / widthS(b),
      failedPerS: failed[b]! / widthS(b),
      latencyP99Ms: p99(latencies[b]!),
      issueDelayP99Ms: p99(delays[b]!),
    });
  }
  return { phase, bucketMs, buckets };
}

/** Nearest-rank p99 in ms (LoadGen's rank rule), null for an empty bucket. */
function p99(valuesNs: number[]): number | null {
  if (valuesNs.length === 0) return null;
  valuesNs.sort((a, b) => a - b);
  const rank = Math.ceil(0.99 * valuesNs.length) - 1;
  return valuesNs[Math.max(0, rank)]! / 1e6;
}
