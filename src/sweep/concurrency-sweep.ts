import type { PhaseContext } from '../loadgen/phase.js';
import { SampleIndexStream, selectSampleSet } from '../loadgen/plan.js';
import { Recorder } from '../loadgen/recorder.js';
import { runConcurrency } from '../loadgen/scenarios/concurrency.js';
import type { TestSettings } from '../loadgen/settings.js';
import { summarize } from '../loadgen/summarize.js';
import type { Clock, QuerySampleLibrary, SystemUnderTest } from '../loadgen/types.js';
import { childSignal } from './child-signal.js';
import type { SweepPoint } from './types.js';

export interface ConcurrencySweepOptions {
  readonly clock: Clock;
  readonly sut: SystemUnderTest;
  readonly qsl: QuerySampleLibrary;
  readonly settings: TestSettings;
  readonly levels: readonly number[];
  readonly durationMs: number;
  readonly signal: AbortSignal;
  readonly onPoint?: (point: SweepPoint) => void;
}

/**
 * Closed-loop curve: for each level, keep that many single-sample queries in flight for the
 * duration and report completed QPS and latency from issue. No verdict: a closed loop has no
 * arrival schedule to hold a bound against. Points are in-memory only (no result folder).
 */
export async function runConcurrencySweep(o: ConcurrencySweepOptions): Promise<{ points: SweepPoint[]; interrupted: boolean }> {
  const { clock, sut, qsl, settings, signal } = o;
  const psc = Math.min(settings.performanceSampleCount || qsl.performanceSampleCount, qsl.totalSampleCount);
  const set = selectSampleSet(qsl.totalSampleCount, psc, settings.seeds.sampleSet);
  const points: SweepPoint[] = [];
  await qsl.loadSamples(Array.from(set));
  try {
    for (const level of o.levels) {
      if (signal.aborted) break;
      const recorder = new Recorder(clock);
      const run = childSignal(signal);
      const ctx: PhaseContext = { clock, sut, recorder, signal: run.signal, queryTimeoutNs: settings.queryTimeoutMs * 1e6 };
      const stream = new SampleIndexStream(set, 1, settings.seeds.sampleIndex);
      const { startNs, endNs } = await runConcurrency(ctx, () => stream.next(), level, o.durationMs * 1e6).finally(run.dispose);
      recorder.seal();
      // Latency from issue time, as SingleStream measures it.
      const summary = summarize({ recorder, startNs, settings: { ...settings, scenario: 'singlestream', mode: 'performance' } });
      const p = summary.sampleLatency?.percentilesNs ?? {};
      const seconds = (endNs - startNs) / 1e9;
      const point: SweepPoint = {
        kind: 'point',
        offeredQps: null,
        concurrency: level,
        completedQps: seconds > 0 ? recorder.completedSamples / seconds : 0,
        goodputQps: null,
        latencyNs: { p50: p['50'] ?? 0, p90: p['90'] ?? 0, p99: p['99'] ?? 0 },
        issueDelayP99Ns: null,
        errors: recorder.failedSamples + recorder.missingSamples,
        valid: null,
        loadgenBottleneck: false,
        meetsBound: null,
        resultDir: null,
        runId: null,
      };
      points.push(point);
      o.onPoint?.(point);
    }
  } finally {
    await qsl.unloadSamples(Array.from(set));
  }
  return { points, interrupted: signal.aborted };
}
