/**
 * MLPerf early stopping (rules appendix "Early Stopping Criterion"; LoadGen early_stopping.cc and
 * results.cc::PerformanceSummary::EarlyStopping). Percentiles are fractions here (0.99).
 *
 * Each query is a Bernoulli trial, over the latency bound with probability 1 - p for a system
 * that only just meets percentile p. Seeing t or fewer over-latency queries among h + t is
 * evidence, at confidence c, that the system does meet p when that is unlikely for such a
 * system: P(X <= t) < 1 - c, X ~ Binomial(h + t, 1 - p). h_min(t) is the least such h (LoadGen's
 * tolerance d is 0).
 *
 * LoadGen evaluates P as a regularized incomplete beta through a hypergeometric series that
 * cancels catastrophically for large t and relies on its search bracket to stay sane. Here P is
 * a sum of binomial terms anchored at the largest one, whose log comes from Loader's saddle-point
 * form (Stirling remainders and deviances, as R's dbinom does): differences of lgamma values lose
 * ~1e-8 absolutely at n = 1e7, Loader's form keeps ~1e-14, so h_min is exact in practice. It
 * equals LoadGen's compiled early_stopping.cc for every t <= 3000 and sampled t up to 5e5 (p from
 * 0.5 to 0.999); at t = 1e6, p = 0.999 LoadGen's rounding yields one query more than the exact
 * answer this gives.
 */

const LN_2PI = 1.8378770664093456;

/** log(n!) - log(sqrt(2 pi n) (n/e)^n) for n = 0..15, rounded from mpmath; n = 0 unused. */
const STIRLING_REMAINDER_SMALL = [
  0, 0.08106146679532726, 0.0413406959554093, 0.02767792568499834, 0.020790672103765093,
  0.016644691189821193, 0.013876128823070748, 0.01189670994589177, 0.010411265261972096,
  0.009255462182712733, 0.00833056343336287, 0.007573675487951841, 0.00694284010720953,
  0.006408994188004207, 0.0059513701127588475, 0.005554733551962801,
];

/** Stirling remainder for a non-negative integer n: the table, then its asymptotic series. */
function stirlingRemainder(n: number): number {
  if (n <= 15) return STIRLING_REMAINDER_SMALL[n]!;
  const nn = n * n;
  // Series 1/(12n) - 1/(360n^3) + 1/(1260n^5) - ...; fewer terms suffice as n grows.
  if (n > 500) return (1 / 12 - 1 / 360 / nn) / n;
  if (n > 80) return (1 / 12 - (1 / 360 - 1 / 1260 / nn) / nn) / n;
  if (n > 35) return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / 1680 / nn) / nn) / nn) / n;
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / 1188 / nn) / nn) / nn) / nn) / n;
}

/** Deviance x log(x / np) + np - x, by a series when x is near np (where it would cancel). */
function deviance(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np);
    let sum = (x - np) * v;
    let term = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      term *= v;
      const next = sum + term / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / np) + np - x;
}

/** log P(X = x), X ~ Binomial(n, q), with p = 1 - q given separately (Loader 2000). */
function logBinomialPmf(x: number, n: number, q: number, p: number): number {
  if (x === 0) return q < 0.1 ? -deviance(n, n * p) - n * q : n * Math.log(p);
  if (x === n) return p < 0.1 ? -deviance(n, n * q) - n * p : n * Math.log(q);
  const lc =
    stirlingRemainder(n) -
    stirlingRemainder(x) -
    stirlingRemainder(n - x) -
    deviance(x, n * q) -
    deviance(n - x, n * p);
  return lc - 0.5 * (LN_2PI + Math.log(x) + Math.log1p(-x / n));
}

/** Relative size below which the rest of a tail no longer changes the sum. */
const TAIL_EPSILON = 1e-18;

/**
 * P(X <= t), X ~ Binomial(n, q), summed outward from the largest term of [0, t]. Successive
 * terms differ by a rational factor, so each costs two multiplications; a side stops once a
 * geometric bound on what remains of it is negligible (terms fall ever faster away from the
 * mode). Only O(sqrt(n q)) terms are visited.
 */
function binomialCdf(t: number, n: number, q: number, p: number): number {
  if (t >= n) return 1;
  const peak = Math.min(t, Math.floor((n + 1) * q));
  let sum = 1;
  let term = 1;
  for (let x = peak; x > 0; x--) {
    const ratio = (x * p) / ((n - x + 1) * q);
    term *= ratio;
    sum += term;
    if (term * ratio < TAIL_EPSILON * sum * (1 - ratio)) break;
  }
  term = 1;
  for (let x = peak; x < t; x++) {
    const ratio = ((n - x) * q) / ((x + 1) * p);
    term *= ratio;
    sum += term;
    if (term * ratio < TAIL_EPSILON * sum * (1 - ratio)) break;
  }
  return Math.exp(logBinomialPmf(peak, n, q, p) + Math.log(sum));
}

function checkFraction(name: string, value: number): void {
  if (!(value > 0 && value < 1)) {
    throw new RangeError(`${name} must be a fraction strictly between 0 and 1, got ${value}`);
  }
}

function checkCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/** h_min(t) per (percentile, confidence): the SingleStream search asks for the same t often. */
const memo = new Map<string, Map<number, number>>();

/**
 * h_min(t): the least number of under-latency queries h for which t over-latency queries among
 * h + t still show, at `confidence`, that the system meets `percentile` (a fraction, 0.99).
 */
export function minUnderLatencyQueries(
  overLatency: number,
  percentile: number,
  confidence = 0.99,
): number {
  checkCount('overLatency', overLatency);
  checkFraction('percentile', percentile);
  checkFraction('confidence', confidence);
  const key = `${percentile}:${confidence}`;
  let cache = memo.get(key);
  if (cache === undefined) {
    cache = new Map();
    memo.set(key, cache);
  }
  let h = cache.get(overLatency);
  if (h === undefined) {
    h = searchMinUnder(overLatency, percentile, confidence);
    cache.set(overLatency, h);
  }
  return h;
}

function searchMinUnder(t: number, percentile: number, confidence: number): number {
  const p = percentile;
  const q = 1 - percentile; // as LoadGen computes it: 1 - p + d, d = 0
  const alpha = 1 - confidence;
  const passes = (h: number): boolean => binomialCdf(t, h + t, q, p) < alpha;
  // h = 0 never passes (P = 1). Near h = t p / q the expected over-latency count is t and
  // P(X <= t) is about one half, so that h fails too and the answer lies a few sd above it.
  let failing = Math.max(0, Math.floor((t * p) / q) - 1);
  if (passes(failing)) failing = 0;
  let step = Math.ceil((3 * Math.sqrt((t + 1) * p) - Math.log(alpha)) / q);
  let passing = failing + step;
  while (!passes(passing)) {
    failing = passing;
    step *= 2;
    passing = failing + step;
  }
  // Invariant: failing fails, passing passes; P(X <= t) falls as h grows.
  while (passing - failing > 1) {
    const mid = failing + Math.floor((passing - failing) / 2);
    if (passes(mid)) passing = mid;
    else failing = mid;
  }
  return passing;
}

/** Fewest queries (h_min(t) + t) that let a run with t over-latency queries pass. */
export function minQueriesForOverLatency(
  overLatency: number,
  percentile: number,
  confidence = 0.99,
): number {
  return minUnderLatencyQueries(overLatency, percentile, confidence) + overLatency;
}

export interface ServerEarlyStopping {
  readonly passed: boolean;
  /** h_min(t) + t: the queries a run with this many over-latency queries needs. */
  readonly minQueriesNeeded: number;
  readonly message: string;
}

/**
 * Server (and each LLM token metric): the run passes iff queryCount >= h_min(t) + t, where t
 * counts the latencies strictly greater than the bound (as LoadGen counts them).
 */
export function serverEarlyStopping(
  queryCount: number,
  overLatencyCount: number,
  percentile: number,
  confidence = 0.99,
): ServerEarlyStopping {
  checkCount('queryCount', queryCount);
  checkCount('overLatencyCount', overLatencyCount);
  if (overLatencyCount > queryCount) {
    throw new RangeError(`overLatencyCount ${overLatencyCount} exceeds queryCount ${queryCount}`);
  }
  const minQueriesNeeded = minQueriesForOverLatency(overLatencyCount, percentile, confidence);
  const bound = `${percentText(percentile)}th percentile at ${percentText(confidence)}% confidence`;
  const seen = `${queryCount} queries, ${overLatencyCount} over the latency bound`;
  if (queryCount >= minQueriesNeeded) {
    return {
      passed: true,
      minQueriesNeeded,
      message: `Early stopping passed (${bound}): ${seen}; ${minQueriesNeeded} would have sufficed.`,
    };
  }
  const more = minQueriesNeeded - queryCount;
  return {
    passed: false,
    minQueriesNeeded,
    message:
      `Early stopping failed (${bound}): ${seen}. Need ${more} more queries ` +
      `(${minQueriesNeeded} in all), and only if every additional query is under the bound.`,
  };
}

/** Fewest queries a SingleStream/MultiStream estimate needs: h_min(1) + 1. */
export function minQueriesForEstimate(percentile: number, confidence = 0.99): number {
  return minQueriesForOverLatency(1, percentile, confidence);
}

/**
 * The largest t with queryCount >= h_min(t) + t, or 0 when even t = 1 fails. h_min(t) + t grows
 * with t, so LoadGen's scan (the first failing t, minus one) equals this binary search.
 */
export function maxOverLatency(queryCount: number, percentile: number, confidence = 0.99): number {
  checkCount('queryCount', queryCount);
  const fits = (t: number): boolean =>
    minQueriesForOverLatency(t, percentile, confidence) <= queryCount;
  if (!fits(1)) return 0;
  // h_min(t) normally exceeds t p / (1 - p), so t < queryCount (1 - p) for any t that fits;
  // if not, fall back to queryCount, which never fits (h_min >= 1).
  let failing = Math.min(queryCount, Math.ceil(queryCount * (1 - percentile)) + 1);
  if (fits(failing)) failing = queryCount;
  let fitting = 1;
  while (failing - fitting > 1) {
    const mid = fitting + Math.floor((failing - fitting) / 2);
    if (fits(mid)) fitting = mid;
    else failing = mid;
  }
  return fitting;
}

export type LatencyEstimate =
  | {
      readonly passed: true;
      /** The largest t with N >= h_min(t) + t. */
      readonly overLatencyCount: number;
      /** N - t: 0-based index of the estimate in the ascending latencies. */
      readonly estimateIndex: number;
      readonly estimateNs: number;
      readonly minQueriesNeeded: number;
      readonly message: string;
    }
  | {
      readonly passed: false;
      /** h_min(1) + 1. */
      readonly minQueriesNeeded: number;
      readonly message: string;
    };

/**
 * SingleStream/MultiStream: the early-stopping percentile estimate from ascending-sorted
 * latencies (per sample for SingleStream, per query for MultiStream). With t the largest count
 * that still passes, LoadGen reports sorted[N - t]: it discards the t - 1 highest latencies and
 * reports the highest of the rest.
 */
export function latencyEstimateEarlyStopping(
  sortedLatenciesNs: Float64Array,
  percentile: number,
  confidence = 0.99,
): LatencyEstimate {
  const n = sortedLatenciesNs.length;
  const minQueriesNeeded = minQueriesForEstimate(percentile, confidence);
  const name = `${percentText(percentile)}th percentile`;
  if (n < minQueriesNeeded) {
    return {
      passed: false,
      minQueriesNeeded,
      message:
        `Early stopping: only ${n} queries; a ${name} estimate at ${percentText(confidence)}% ` +
        `confidence needs at least ${minQueriesNeeded} (${minQueriesNeeded - n} more).`,
    };
  }
  const overLatencyCount = maxOverLatency(n, percentile, confidence);
  const estimateIndex = n - overLatencyCount;
  const estimateNs = sortedLatenciesNs[estimateIndex]!;
  return {
    passed: true,
    overLatencyCount,
    estimateIndex,
    estimateNs,
    minQueriesNeeded,
    message:
      `Early stopping ${name} estimate: ${estimateNs} ns, the latency at ascending index ` +
      `${estimateIndex} of ${n} (the ${overLatencyCount - 1} highest discarded).`,
  };
}

/** 0.99 -> "99", 0.999 -> "99.9": a fraction in percent, without float noise. */
function percentText(fraction: number): string {
  return String(Number((fraction * 100).toPrecision(12)));
}
