/**
 * Softmax and argmax over the logits. exp is implemented here from + - * /
 * because it is the only non-arithmetic function on the weight-update path:
 * Math.exp may differ in the last bit between platforms' libm, which would
 * make trained weights platform-dependent.
 */

/** exp(x) for x <= 0 from + - * / only, so every platform gets the same bits. */
function expNonPositive(x: number): number {
  if (x < -80) return 0; // below 2e-35: negligible next to the max term, which is 1
  const k = Math.round(x / Math.LN2);
  const r = x - k * Math.LN2;
  // Taylor series of e^r for |r| <= ln2/2 in Horner form; degree 13 truncates below double precision.
  let series = 1;
  for (let n = 13; n >= 1; n--) series = 1 + (r * series) / n;
  for (let i = 0; i < -k; i++) series *= 0.5;
  for (let i = 0; i < k; i++) series *= 2;
  return series;
}

/** Softmax in place, max-subtracted for stability (and so expNonPositive suffices). */
export function softmaxInPlace(values: Float64Array): void {
  let max = values[0]!;
  for (let i = 1; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const e = expNonPositive(values[i]! - max);
    values[i] = e;
    sum += e;
  }
  for (let i = 0; i < values.length; i++) values[i] = values[i]! / sum;
}

/** Index of the largest value; the first wins ties. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
