import { describe, expect, it } from 'vitest';
import { latencySpectrum } from '../../src/report/charts/latency-spectrum.js';
import { logBins, spectrum } from '../../src/report/hdr.js';
import { loadInputs } from '../../src/report/load-inputs.js';
import { buildTimeline } from '../../src/report/timeline-data.js';
import { fixture } from './fixtures.js';

const run = loadInputs([fixture('server-null/result.json')]).runs[0]!;
const stats = run.result.summary.sampleLatency!;

describe('chart data derived from the run', () => {
  it('spectrum: HDR values agree with the exact percentiles to 3 significant digits', () => {
    const points = spectrum(stats.hdrHistogram);
    expect(points[0]!.inverseTail).toBe(1);
    expect(points.at(-1)!.percentile).toBeCloseTo(99.9, 9);
    const at = (p: number) => points.find((x) => Math.abs(x.percentile - p) < 1e-9)!.latencyMs;
    for (const p of [90, 99, 99.9]) expect(at(p) / (stats.percentilesNs[String(p)]! / 1e6)).toBeCloseTo(1, 2);
  });

  it('histogram: the bins hold every sample once', () => {
    expect(logBins(stats.hdrHistogram).reduce((n, b) => n + b.count, 0)).toBe(stats.count);
  });

  it('timeline: every completed sample lands in a bucket; offered matches the schedule', () => {
    const t = buildTimeline(run.detail ?? [])!;
    expect(t.phase).toBe('measure');
    const widthS = t.bucketMs / 1000;
    const completed = t.buckets.reduce((n, b) => n + b.completedPerS * widthS, 0);
    // The last bucket may be partial (dropped under half a bucket): allow its share.
    expect(completed).toBeGreaterThan(run.result.summary.samplesCompleted * 0.95);
    expect(completed).toBeLessThanOrEqual(run.result.summary.samplesCompleted + 1e-6);
    const mean = t.buckets.reduce((n, b) => n + b.offeredPerS, 0) / t.buckets.length;
    expect(mean / run.result.effectiveSettings.targetQps!).toBeCloseTo(1, 0);
  });

  it('a run without latencies gets no spectrum', () => {
    const r = { ...run.result, summary: { ...run.result.summary, sampleLatency: null, queryLatency: null } };
    expect(latencySpectrum(r)).toBeNull();
  });
});
