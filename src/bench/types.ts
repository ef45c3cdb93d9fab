/**
 * What every bench reports: its raw numbers, and each of the targets with the measured
 * value beside it. Targets are measured and reported here, never asserted in unit tests.
 */

// Server first: its issue-delay tail is sensitive to the heap state other benches leave behind.
// The remote benches come last: they spawn servers and CLIs, and leave this process's heap alone.
export const BENCH_NAMES = ['server', 'offline', 'overhead', 'memory', 'client', 'serve', 'precision', 'llm'] as const;
export type BenchName = (typeof BENCH_NAMES)[number];

export type Comparison = 'atLeast' | 'atMost';

export interface TargetCheck {
  readonly name: string;
  readonly measured: number;
  readonly target: number;
  readonly comparison: Comparison;
  readonly unit: string;
  readonly met: boolean;
}

export function checkTarget(name: string, measured: number, comparison: Comparison, target: number, unit: string): TargetCheck {
  const met = comparison === 'atLeast' ? measured >= target : measured <= target;
  return { name, measured, target, comparison, unit, met: Number.isFinite(measured) && met };
}

/** The 1, 5 and 15 minute load averages: the benches share the machine with whatever else runs. */
export type LoadAverage = readonly [number, number, number];

/** Progress notes (stderr, off the measured path). */
export type Log = (message: string) => void;

export const silent: Log = () => {};

/** Monotonic ns as a number, for timing whole phases (not a hot path). */
export function hrtimeNs(): number {
  return Number(process.hrtime.bigint());
}

/** Lower median of a list (LoadGen's floor(N * 0.5) rule after sorting). */
export function medianOf(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor(sorted.length * 0.5)]!;
}

/** Least-squares slope of y over x (units of y per unit of x); NaN with fewer than two points. */
export function slopeOf(points: readonly { readonly x: number; readonly y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) * (p.x - mx);
  }
  return den > 0 ? num / den : Number.NaN;
}
