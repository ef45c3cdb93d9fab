/**
 * Latency histograms (HdrHistogram, pure-JS hdr-histogram-js) encoded as compressed base64, so
 * the runs of several workers or machines merge exactly like autocannon's do. Exact percentiles
 * come from the sorted raw latencies (percentiles.ts); these are for merging and plotting.
 *
 * Values are integer ns at 3 significant digits, from 1 ns to at least an hour (the histogram
 * grows if a value exceeds that). hdr-histogram-js holds values as JS numbers, so every
 * bitBucketSize records values up to 2^53; the size is the width of each bucket's count. 64
 * (float64 counts, exact to 2^53) keeps a single bucket from wrapping at 2^32 samples.
 */
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
} from 'hdr-histogram-js';

export type LatencyHistogram = Histogram;

export const HISTOGRAM_LOWEST_NS = 1;
export const HISTOGRAM_HIGHEST_NS = 3_600_000_000_000;
export const HISTOGRAM_SIGNIFICANT_DIGITS = 3;
const BIT_BUCKET_SIZE = 64;

/** An empty histogram that grows rather than throws when a value exceeds an hour. */
export function createHistogram(): LatencyHistogram {
  return build({
    bitBucketSize: BIT_BUCKET_SIZE,
    autoResize: true,
    lowestDiscernibleValue: HISTOGRAM_LOWEST_NS,
    highestTrackableValue: HISTOGRAM_HIGHEST_NS,
    numberOfSignificantValueDigits: HISTOGRAM_SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/**
 * Records `valuesNs[0 .. count)`. Values below 1 ns (a completion on the same virtual-clock tick
 * as its schedule, or clock skew) are recorded as 1 ns, the lowest value the histogram
 * discerns; the bias is at most 1 ns. NaN and infinities are bugs upstream and throw.
 */
export function buildHistogram(
  valuesNs: Float64Array,
  count: number = valuesNs.length,
): LatencyHistogram {
  if (!Number.isSafeInteger(count) || count < 0 || count > valuesNs.length) {
    throw new RangeError(`count ${count} is outside [0, ${valuesNs.length}]`);
  }
  const histogram = createHistogram();
  for (let i = 0; i < count; i++) {
    const value = valuesNs[i]!;
    if (!Number.isFinite(value)) throw new RangeError(`latency #${i} is ${value}, not finite`);
    histogram.recordValue(Math.max(value, HISTOGRAM_LOWEST_NS));
  }
  return histogram;
}

/**
 * The same histogram as buildHistogram, from values sorted ascending, in one record per
 * histogram bucket instead of one per value: 5M latencies take ~20 ms instead of ~550 ms.
 * A bucket only stores a count, so the result (and its encoding) is identical.
 */
export function buildHistogramFromSorted(sortedNs: Float64Array): LatencyHistogram {
  const histogram = createHistogram();
  const n = sortedNs.length;
  let i = 0;
  while (i < n) {
    const value = sortedNs[i]!;
    if (!Number.isFinite(value)) throw new RangeError(`latency #${i} is ${value}, not finite`);
    const recorded = Math.max(value, HISTOGRAM_LOWEST_NS);
    const bucketTop = (histogram as unknown as { highestEquivalentValue(v: number): number }).highestEquivalentValue(recorded);
    let j = i + 1;
    while (j < n && Math.max(sortedNs[j]!, HISTOGRAM_LOWEST_NS) <= bucketTop) j++;
    histogram.recordValueWithCount(recorded, j - i);
    i = j;
  }
  return histogram;
}

/** HdrHistogram's V2 compressed encoding, base64: readable by every HdrHistogram port. */
export function encodeHistogram(histogram: LatencyHistogram): string {
  return encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): LatencyHistogram {
  const histogram = decodeFromCompressedBase64(encoded, BIT_BUCKET_SIZE, false);
  // Decoding yields a fixed-size histogram; let later merges and records grow it.
  histogram.autoResize = true;
  return histogram;
}

/** Sum of encoded histograms, encoded (an empty list gives an empty histogram). */
export function mergeEncoded(encoded: readonly string[]): string {
  const total = createHistogram();
  for (const item of encoded) total.add(decodeHistogram(item));
  return encodeHistogram(total);
}
