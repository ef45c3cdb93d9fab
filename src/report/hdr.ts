import { decodeHistogram } from '../loadgen/histogram.js';

/** Plot data from an encoded HDR histogram (ns): the percentile spectrum and log-binned counts. */

export interface SpectrumPoint {
  /** Percent, e.g. 99.9. */
  readonly percentile: number;
  /** 1/(1-p): the classic HdrHistogram x axis, where p90, p99, p99.9 are a decade apart. */
  readonly inverseTail: number;
  readonly latencyMs: number;
}

export interface HistogramBin {
  readonly fromMs: number;
  readonly toMs: number;
  readonly count: number;
}

/** Steps per decade of 1/(1-p); 3 decades reach p99.9. */
const SPECTRUM_STEPS_PER_DECADE = 20;
const SPECTRUM_DECADES = 3;
const BINS_PER_DECADE = 20;

export function spectrum(encoded: string): SpectrumPoint[] {
  const h = decodeHistogram(encoded);
  const points: SpectrumPoint[] = [];
  for (let k = 0; k <= SPECTRUM_STEPS_PER_DECADE * SPECTRUM_DECADES; k++) {
    const inverseTail = 10 ** (k / SPECTRUM_STEPS_PER_DECADE);
    const percentile = 100 * (1 - 1 / inverseTail);
    points.push({ percentile, inverseTail, latencyMs: h.getValueAtPercentile(percentile) / 1e6 });
  }
  return points;
}

interface IterationValue {
  readonly valueIteratedTo: number;
  readonly countAddedInThisIterationStep: number;
}
interface RecordedValues {
  reset(): void;
  hasNext(): boolean;
  next(): IterationValue;
}

/**
 * The HDR buckets summed into log-spaced bins: HDR's own buckets (3 significant digits) are
 * thousands of slivers too thin to see; 20 bins a decade keep the shape and stay exact counts.
 */
export function logBins(encoded: string): HistogramBin[] {
  const h = decodeHistogram(encoded) as unknown as { recordedValuesIterator: RecordedValues };
  const it = h.recordedValuesIterator;
  it.reset();
  const counts = new Map<number, number>();
  while (it.hasNext()) {
    const v = it.next();
    const bin = Math.floor(Math.log10(Math.max(v.valueIteratedTo, 1)) * BINS_PER_DECADE);
    counts.set(bin, (counts.get(bin) ?? 0) + v.countAddedInThisIterationStep);
  }
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([bin, count]) => ({
      fromMs: 10 ** (bin / BINS_PER_DECADE) / 1e6,
      toMs: 10 ** ((bin + 1) / BINS_PER_DECADE) / 1e6,
      count,
    }));
}
