import { performance } from 'node:perf_hooks';
import { percentileOfSorted } from '../loadgen/percentiles.js';
import { ArrivalSchedule } from '../loadgen/plan.js';
import { DEFAULT_SPIN_WINDOW_NS } from '../loadgen/real-clock.js';
import { OFFICIAL_SEEDS } from '../loadgen/settings.js';
import { type GcPauses, watchGcPauses } from './gc.js';

/** Issue delay percentiles of one schedule, in ns. */
export interface DelayPercentilesNs {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

export interface IssueFloor {
  readonly targetQps: number;
  readonly durationMs: number;
  readonly arrivals: number;
  /** The same Poisson schedule and spin strategy as RealClock, issuing nothing: the machine's floor. */
  readonly bareSchedulerDelayNs: DelayPercentilesNs;
  readonly bareSchedulerGcPauses: GcPauses;
  /** Gaps between consecutive setImmediate turns of an idle spin (what any spinning scheduler waits on). */
  readonly spinTurnGapNs: DelayPercentilesNs & { readonly turnsPerSecond: number };
  /** Share of the spin's time spent in gaps longer than 100 µs. */
  readonly spinTimeInGapsOver100UsPercent: number;
}

function nowNs(): number {
  return Math.round(performance.now() * 1e6);
}

export function percentilesOf(values: Float64Array): DelayPercentilesNs {
  const sorted = values.slice().sort();
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
  const at = (fraction: number): number => (sorted.length > 0 ? percentileOfSorted(sorted, fraction) : Number.NaN);
  return {
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    p999: at(0.999),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
    mean: sorted.length > 0 ? sum / sorted.length : Number.NaN,
  };
}

/**
 * How late a scheduler with no load generator behind it is on this machine: the Server
 * schedule's arrivals are "issued" (their lateness recorded, nothing else) by a loop that
 * sleeps in setTimeout and spins on setImmediate inside RealClock's spin window. Whatever
 * issue delay this shows (OS preemption, other processes, the event loop) mlbench cannot beat.
 */
export async function measureIssueFloor(targetQps: number, durationMs: number): Promise<IssueFloor> {
  const schedule = new ArrivalSchedule(targetQps, OFFICIAL_SEEDS.schedule);
  schedule.extendPast(durationMs * 1e6);
  const n = schedule.length;
  const delays = new Float64Array(n);
  const stopWatch = watchGcPauses();
  const startNs = nowNs();
  let next = 0;
  await new Promise<void>((resolve) => {
    const turn = (): void => {
      const now = nowNs();
      while (next < n && startNs + schedule.offsetNs(next) <= now) {
        delays[next] = now - (startNs + schedule.offsetNs(next));
        next++;
      }
      if (next >= n) {
        resolve();
        return;
      }
      const waitNs = startNs + schedule.offsetNs(next) - nowNs();
      if (waitNs > DEFAULT_SPIN_WINDOW_NS) setTimeout(turn, Math.max(1, Math.floor((waitNs - DEFAULT_SPIN_WINDOW_NS) / 1e6)));
      else setImmediate(turn);
    };
    turn();
  });
  const bareSchedulerGcPauses = await stopWatch();
  const spin = await spinGaps(Math.min(durationMs, 3000));
  return {
    targetQps,
    durationMs,
    arrivals: n,
    bareSchedulerDelayNs: percentilesOf(delays),
    bareSchedulerGcPauses,
    spinTurnGapNs: { ...percentilesOf(spin.gaps), turnsPerSecond: spin.gaps.length / (spin.durationNs / 1e9) },
    spinTimeInGapsOver100UsPercent: spin.over100UsNs / spin.durationNs * 100,
  };
}

async function spinGaps(durationMs: number): Promise<{ gaps: Float64Array; durationNs: number; over100UsNs: number }> {
  let gaps = new Float64Array(1 << 20);
  let count = 0;
  let over100UsNs = 0;
  const startNs = nowNs();
  const endNs = startNs + durationMs * 1e6;
  let lastNs = startNs;
  await new Promise<void>((resolve) => {
    const turn = (): void => {
      const now = nowNs();
      const gap = now - lastNs;
      lastNs = now;
      if (count === gaps.length) {
        const grown = new Float64Array(gaps.length * 2);
        grown.set(gaps);
        gaps = grown;
      }
      gaps[count++] = gap;
      if (gap > 100_000) over100UsNs += gap;
      if (now < endNs) setImmediate(turn);
      else resolve();
    };
    setImmediate(turn);
  });
  return { gaps: gaps.subarray(0, count), durationNs: lastNs - startNs, over100UsNs };
}
