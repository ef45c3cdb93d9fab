import { measureSaturatedRate, SATURATION_IN_FLIGHT } from './calibrate.js';
import type { PhaseContext } from './phase.js';
import { ArrivalSchedule, SampleIndexStream } from './plan.js';
import { Recorder } from './recorder.js';
import { runServer } from './scenarios/server.js';
import type { TestSettings } from './settings.js';
import { type MeasuredSummary, summarize } from './summarize.js';
import type { Clock, SystemUnderTest } from './types.js';

export interface ServerCalibrationOptions {
  /** How long the saturation measurement keeps the SUT busy. */
  readonly durationNs: number;
  /** The share of the saturated rate to start from. */
  readonly share: number;
  /** Told when each probe starts, with the recorder it fills. */
  readonly onProbe?: (recorder: Recorder) => void;
}

/**
 * LLM servers batch many sequences per decode step (vLLM runs up to 256), so a handful of
 * streams in flight measures a fraction of their capacity: saturate token runs with more.
 */
const TOKEN_SATURATION_IN_FLIGHT = 32;

/** A calibration probe must keep its p99 within this share of the bound to be trusted. */
const PROBE_LATENCY_SHARE = 0.5;
const PROBE_BACKOFF = 0.6;
const MAX_PROBES = 4;

/**
 * Picks a Server rate when the user gave none: the saturated single-sample rate times
 * `calibrationShare`, then confirmed by short Server probes at that rate (its own schedule
 * stream, so the measured plan is untouched) that must keep p99 within half the bound and the
 * issue delay small; each failed probe backs the rate off by 40%. Every step goes into notes.
 */
export async function calibrateServerRate(
  clock: Clock,
  sut: SystemUnderTest,
  set: Int32Array,
  settings: TestSettings,
  options: ServerCalibrationOptions,
  notes: string[],
  signal: AbortSignal,
): Promise<number> {
  const inFlight = settings.tokenLatencies ? TOKEN_SATURATION_IN_FLIGHT : SATURATION_IN_FLIGHT;
  const cal = await measureSaturatedRate(clock, sut, set, options.durationNs, inFlight, signal);
  const share = options.share;
  let qps = Math.max(1, Math.floor(cal.samplesPerSecond * share));
  notes.push(
    `no --target-qps given: calibrated ${cal.samplesPerSecond.toFixed(1)} samples/s at saturation (${cal.method}); starting from ${Math.round(share * 100)}% of that, ${qps} QPS`,
  );
  const boundNs = (settings.latencyBoundMs ?? Number.POSITIVE_INFINITY) * 1e6;
  for (let probe = 1; probe <= MAX_PROBES && !signal.aborted; probe++) {
    const probeSettings: TestSettings = {
      ...settings,
      targetQps: qps,
      minDurationMs: 1000,
      minQueryCount: 1,
      maxQueryCount: 0,
      seeds: { ...settings.seeds, schedule: `${settings.seeds.schedule}1` },
    };
    const recorder = new Recorder(clock, { countTokens: settings.tokenLatencies });
    options.onProbe?.(recorder);
    const ctx: PhaseContext = { clock, sut, recorder, signal, queryTimeoutNs: settings.queryTimeoutMs * 1e6 };
    const schedule = new ArrivalSchedule(qps, probeSettings.seeds.schedule);
    schedule.extendPast(1e9);
    const { startNs } = await runServer(ctx, {
      schedule,
      samples: new SampleIndexStream(set, 1, settings.seeds.sampleIndex),
      initialQueryCount: schedule.length,
      maxDurationNs: 5e9,
      maxQueryCount: 0,
      latencyBoundNs: boundNs,
      percentile: 0.99,
      confidence: settings.earlyStoppingConfidence,
    });
    const probeSummary = summarize({ recorder, startNs, settings: { ...probeSettings, latencyPercentile: 99 } });
    const judged = probeVerdict(probeSummary, settings, boundNs);
    const ok = judged.withinBounds && !probeSummary.loadgenBottleneck;
    notes.push(
      `calibration probe ${probe}: 1 s of Server at ${qps} QPS gave ${judged.seen}${probeSummary.loadgenBottleneck ? ' with the load generator lagging' : ''}: ${ok ? 'kept' : `over ${Math.round(PROBE_LATENCY_SHARE * 100)}% of the bound, backing off`}`,
    );
    if (ok) break;
    qps = Math.max(1, Math.floor(qps * PROBE_BACKOFF));
  }
  return qps;
}


/** A probe is trusted when its p99 (TTFT and TPOT for token runs) stays within half of each bound. */
function probeVerdict(summary: MeasuredSummary, settings: TestSettings, boundNs: number): { withinBounds: boolean; seen: string } {
  const ms = (ns: number | null): string => (ns === null ? 'none' : `${(ns / 1e6).toFixed(3)} ms`);
  const tokens = summary.tokens;
  if (tokens) {
    const within = (value: number | null, boundMs: number | null): boolean =>
      boundMs === null || (value !== null && value <= PROBE_LATENCY_SHARE * boundMs * 1e6);
    return {
      withinBounds: within(tokens.ttftAtPercentileNs, settings.ttftBoundMs) && within(tokens.tpotAtPercentileNs, settings.tpotBoundMs),
      seen: `p99 TTFT ${ms(tokens.ttftAtPercentileNs)}, p99 TPOT ${ms(tokens.tpotAtPercentileNs)}`,
    };
  }
  const p99 = summary.targetPercentileNs ?? Number.POSITIVE_INFINITY;
  return { withinBounds: p99 <= PROBE_LATENCY_SHARE * boundNs, seen: `p99 ${ms(p99)}` };
}
