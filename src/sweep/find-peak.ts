/** What the search needs to know about one probe run at a given rate. */
export interface ProbeOutcome {
  readonly qps: number;
  /** The probe met the latency bound at the percentile (failures counted as over). */
  readonly meetsBound: boolean;
  /** false when issue delay shows the load generator, not the system, was the bottleneck. */
  readonly trusted: boolean;
  readonly completedQps: number;
}

export type ProbeFn = (qps: number) => Promise<ProbeOutcome>;

export interface PeakSearchOptions {
  readonly startQps: number;
  /** Bisect until (upper - lower) / lower is at most this, in percent. */
  readonly precisionPercent: number;
  readonly maxProbes: number;
  /** Halving gives up below this rate: nothing met the bound. */
  readonly minQps: number;
  /** Checked before each probe (an interrupt). */
  readonly shouldStop?: () => boolean;
}

export type SearchStop = 'converged' | 'max-probes' | 'nothing-met' | 'stopped';

export interface PeakSearch {
  /** The highest probed rate that met the bound with a trusted probe; null if none did. */
  readonly peakQps: number | null;
  /** The lowest probed rate that failed the bound or could not be trusted. */
  readonly failingQps: number | null;
  readonly probes: readonly ProbeOutcome[];
  readonly stop: SearchStop;
  readonly notes: readonly string[];
}

/** Rates are shown to users and name probes: whole QPS, or 2 decimals below 10 QPS. */
export function roundQps(qps: number): number {
  return qps >= 10 ? Math.round(qps) : Math.round(qps * 100) / 100;
}

/** Width of the bracket [lower, upper] in percent of lower. */
export function bracketPercent(lower: number, upper: number): number {
  return ((upper - lower) / lower) * 100;
}

class StopSearch extends Error {
  constructor(readonly stop: SearchStop) {
    super(stop);
  }
}

/**
 * Finds the highest rate that meets the latency bound: probe the start rate, double (or
 * halve) until the bound is bracketed, then bisect to the stated precision. A probe the load
 * generator limited cannot tell either way: it is treated as a ceiling the search never goes
 * above, and a note says so. Pure apart from `probe`: tests drive it with a fake.
 */
export async function findPeak(probe: ProbeFn, options: PeakSearchOptions): Promise<PeakSearch> {
  const probes: ProbeOutcome[] = [];
  const notes: string[] = [];
  let lower: number | null = null;
  let upper: number | null = null;

  const run = async (qps: number): Promise<boolean> => {
    if (options.shouldStop?.() === true) throw new StopSearch('stopped');
    if (probes.length >= options.maxProbes) throw new StopSearch('max-probes');
    const outcome = await probe(qps);
    probes.push(outcome);
    if (!outcome.trusted) {
      notes.push(
        `probe at ${qps} QPS not trusted: its issue delay shows the load generator was the bottleneck, so it cannot tell whether the system meets the bound there; the search goes no higher`,
      );
    }
    return outcome.meetsBound && outcome.trusted;
  };
  const result = (stop: SearchStop): PeakSearch => ({ peakQps: lower, failingQps: upper, probes, stop, notes });

  try {
    // Bracket: double while the bound holds, halve while it does not.
    let qps = roundQps(options.startQps);
    for (;;) {
      if (await run(qps)) {
        lower = qps;
        if (upper !== null) break;
        qps = roundQps(qps * 2);
      } else {
        upper = qps;
        if (lower !== null) break;
        const next = roundQps(qps / 2);
        if (next < options.minQps || next === qps) {
          notes.push(`no rate met the bound, down to ${qps} QPS`);
          return result('nothing-met');
        }
        qps = next;
      }
    }
    // Bisect: the bracket [lower, upper] always has a passing lower and a failing upper.
    while (bracketPercent(lower!, upper!) > options.precisionPercent) {
      const mid = roundQps((lower! + upper!) / 2);
      if (mid <= lower! || mid >= upper!) break; // rounding cannot split it further
      if (await run(mid)) lower = mid;
      else upper = mid;
    }
    return result('converged');
  } catch (error) {
    if (!(error instanceof StopSearch)) throw error;
    if (error.stop === 'max-probes') {
      notes.push(`stopped after ${options.maxProbes} probes (--max-probes) before reaching ${options.precisionPercent}% precision`);
    }
    return result(error.stop);
  }
}
