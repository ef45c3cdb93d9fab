/**
 * exp, erf and GELU from + - * / only. They are on the weight-update path
 * (attention softmax, GELU and its slope), and Math.exp may differ in the last
 * bit between platforms' libm, which would make the trained bytes
 * platform-dependent. sqrt is safe: IEEE 754 rounds it exactly.
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const INVERSE_SQRT_TWO_PI = 0.3989422804014327;
/** erfc(6) is about 2e-17, below half an ulp of 1: erf is exactly +-1 beyond. */
const ERF_SATURATES_AT = 6;

/** Below this exp is under 2e-35: negligible next to the terms it is summed with. */
const EXP_FLUSH_BELOW = -80;

/** 2^-k for k = 0..116 (enough for x >= -80), by exact repeated halving. */
const NEGATIVE_POWERS_OF_TWO = (() => {
  const powers = new Float64Array(Math.ceil(-EXP_FLUSH_BELOW / Math.LN2) + 2);
  powers[0] = 1;
  for (let k = 1; k < powers.length; k++) powers[k] = powers[k - 1]! * 0.5;
  return powers;
})();

/** exp(x) for x <= 0: e^x = 2^k e^r with |r| <= ln2/2. */
export function expNonPositive(x: number): number {
  if (x < EXP_FLUSH_BELOW) return 0;
  const k = Math.round(x / Math.LN2);
  const r = x - k * Math.LN2;
  // Taylor series of e^r in Horner form; degree 13 truncates below double precision.
  let series = 1;
  for (let n = 13; n >= 1; n--) series = 1 + (r * series) / n;
  // x <= 0 makes k <= 0, and scaling by a power of two is exact.
  return series * NEGATIVE_POWERS_OF_TWO[-k]!;
}

/**
 * erf(|x|) and exp(-x^2) together (GELU's slope needs both). Uses
 * erf(x) = 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)),
 * whose terms are all positive: no cancellation, full precision.
 */
function erfOfMagnitude(magnitude: number, out: { erf: number; gaussian: number }): void {
  const gaussian = expNonPositive(-magnitude * magnitude);
  out.gaussian = gaussian;
  if (magnitude >= ERF_SATURATES_AT) {
    out.erf = 1;
    return;
  }
  const ratio = 2 * magnitude * magnitude;
  let term = magnitude;
  let sum = magnitude;
  for (let n = 1; n < 400; n++) {
    term = (term * ratio) / (2 * n + 1);
    sum += term;
    if (term <= sum * 1e-17) break;
  }
  out.erf = Math.min(TWO_OVER_SQRT_PI * gaussian * sum, 1);
}

const scratch = { erf: 0, gaussian: 0 };

export function erf(x: number): number {
  erfOfMagnitude(Math.abs(x), scratch);
  return x < 0 ? -scratch.erf : scratch.erf;
}

/**
 * Exact GELU, x * Phi(x) with Phi(x) = (1 + erf(x / sqrt 2)) / 2, over
 * `count` values; `slope` receives dGELU/dx = Phi(x) + x * phi(x) for the
 * backward pass.
 */
export function geluForward(input: Float64Array, output: Float64Array, slope: Float64Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const x = input[i]!;
    erfOfMagnitude(Math.abs(x) * Math.SQRT1_2, scratch);
    const cdf = x < 0 ? 0.5 * (1 - scratch.erf) : 0.5 * (1 + scratch.erf);
    output[i] = x * cdf;
    slope[i] = cdf + x * INVERSE_SQRT_TWO_PI * scratch.gaussian;
  }
}

/** Softmax over `values[start, start + count)` in place, max-subtracted so expNonPositive suffices. */
export function softmaxRange(values: Float64Array, start: number, count: number): void {
  const end = start + count;
  let max = values[start]!;
  for (let i = start + 1; i < end; i++) if (values[i]! > max) max = values[i]!;
  let sum = 0;
  for (let i = start; i < end; i++) {
    const e = expNonPositive(values[i]! - max);
    values[i] = e;
    sum += e;
  }
  for (let i = start; i < end; i++) values[i] = values[i]! / sum;
}
