/**
 * M/D/1 queueing theory for the sweep's acceptance test: Poisson arrivals at `lambda` per
 * second, one server, constant service `serviceS` seconds.
 */

/**
 * Erlang's waiting-time distribution: P(W <= t) = (1-ρ) Σ_{k=0}^{⌊t/D⌋} [λ(kD-t)]^k/k! e^{-λ(kD-t)}.
 * The terms alternate in sign and grow like e^{λt}: accurate in doubles for the t/D of about 25
 * used here, not for t far beyond that (then use the simulation).
 */
export function md1WaitCdf(lambda: number, serviceS: number, tS: number): number {
  const rho = lambda * serviceS;
  if (rho >= 1) return 0;
  if (tS < 0) return 0;
  let sum = 0;
  for (let k = 0; k <= Math.floor(tS / serviceS); k++) {
    const x = lambda * (k * serviceS - tS);
    let term = Math.exp(-x);
    for (let j = 1; j <= k; j++) term *= x / j;
    sum += term;
  }
  return (1 - rho) * sum;
}

/** The arrival rate at which the `percentile`% sojourn time (wait + service) equals `boundS`. */
export function md1PeakQps(serviceS: number, boundS: number, percentile: number): number {
  let lo = 0;
  let hi = 1 / serviceS;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (md1WaitCdf(mid, serviceS, boundS - serviceS) >= percentile / 100) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Sojourn-time percentile by Lindley's recursion over `count` Poisson arrivals (independent check). */
export function md1SimulatedPercentile(lambda: number, serviceS: number, percentile: number, count: number, seed = 1): number {
  let state = seed >>> 0;
  const uniform = (): number => {
    // xorshift32: deterministic, good enough for a cross-check of a closed form.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return (state + 0.5) / 4294967296;
  };
  const sojourn = new Float64Array(count);
  let wait = 0;
  for (let i = 0; i < count; i++) {
    sojourn[i] = wait + serviceS;
    const gap = -Math.log(uniform()) / lambda;
    wait = Math.max(0, wait + serviceS - gap);
  }
  sojourn.sort();
  return sojourn[Math.min(count - 1, Math.ceil((percentile / 100) * count) - 1)]!;
}
