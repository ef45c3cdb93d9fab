import type { ValidityCheck } from '../results/types.js';
import { runLongerAdvice } from './run-longer-advice.js';
import type { TestSettings } from './settings.js';
import type { MeasuredSummary } from './summarize.js';
import { tokenChecks } from './token-validity.js';

const ms = (ns: number): string => `${(ns / 1e6).toFixed(3)} ms`;

/**
 * LoadGen's verdict (min duration AND min queries AND latency constraint (Server) AND early
 * stopping), plus one check LoadGen leaves to its error log: every sample answered. Each
 * failed check says what to change.
 */
export function checkValidity(settings: TestSettings, summary: MeasuredSummary): ValidityCheck[] {
  if (settings.mode === 'accuracy') return [completedAll(summary)];
  const checks: ValidityCheck[] = [minDuration(settings, summary), minQueries(settings, summary)];
  if (settings.tokenLatencies && settings.scenario === 'server') {
    // LoadGen with use_token_latencies: TTFT and TPOT bounds and early stopping on each, in
    // place of the end-to-end constraint (judged too only when a bound was given for it).
    if (settings.latencyBoundMs !== null) checks.push(latencyConstraint(settings, summary), earlyStopping(settings, summary));
    checks.push(...tokenChecks(settings, summary));
  } else {
    if (settings.scenario === 'server') checks.push(latencyConstraint(settings, summary));
    if (summary.earlyStopping !== null) checks.push(earlyStopping(settings, summary));
  }
  checks.push(completedAll(summary));
  return checks;
}

function minDuration(settings: TestSettings, summary: MeasuredSummary): ValidityCheck {
  const minNs = settings.minDurationMs * 1e6;
  const passed = summary.durationNs >= minNs;
  const what =
    settings.scenario === 'offline'
      ? 'Offline run length (longest sample latency)'
      : settings.scenario === 'server'
        ? 'last scheduled query'
        : 'last query issued';
  let recommendation: string | null = null;
  if (!passed) {
    if (settings.scenario === 'offline') {
      // Samples, not the headline (tokens/s for LLM runs): the query is sized in samples.
      const measured = summary.durationNs > 0 ? summary.samplesCompleted / (summary.durationNs / 1e9) : 0;
      const suggested = Math.ceil(measured * 1.2);
      recommendation = `the system is faster than the query was sized for: set --offline-expected-qps ${suggested} (measured ${measured.toFixed(1)} samples/s, plus 20%)`;
    } else if (summary.durationNs < settings.maxDurationMs * 1e6) {
      recommendation = 'the run was interrupted before its minimum duration: run it again to the end';
    } else {
      recommendation = `raise --max-duration-ms above --min-duration-ms (${settings.minDurationMs})`;
    }
  }
  return {
    name: 'minDuration',
    passed,
    detail: `${what} at ${ms(summary.durationNs)}, minimum ${settings.minDurationMs} ms`,
    recommendation,
  };
}

function minQueries(settings: TestSettings, summary: MeasuredSummary): ValidityCheck {
  const counted = settings.scenario === 'offline' ? summary.samplesIssued : summary.queriesIssued;
  const unit = settings.scenario === 'offline' ? 'samples' : 'queries';
  const passed = counted >= settings.minQueryCount;
  return {
    name: 'minQueries',
    passed,
    detail: `${counted} ${unit} issued, minimum ${settings.minQueryCount}`,
    recommendation: passed
      ? null
      : settings.scenario === 'server'
        ? `raise --max-duration-ms, or --target-qps, so ${settings.minQueryCount} queries fit`
        : `raise --max-duration-ms so ${settings.minQueryCount} ${unit} fit`,
  };
}

function latencyConstraint(settings: TestSettings, summary: MeasuredSummary): ValidityCheck {
  const boundMs = settings.latencyBoundMs;
  const value = summary.targetPercentileNs;
  const passed = boundMs !== null && value !== null && value <= boundMs * 1e6;
  const p = settings.latencyPercentile;
  const shown = value === null ? 'none' : Number.isFinite(value) ? ms(value) : 'unbounded (failed or missing samples)';
  const qps = settings.targetQps ?? 0;
  return {
    name: 'latencyConstraint',
    passed,
    detail: `p${p} latency ${shown} (failures count as over), bound ${boundMs} ms`,
    recommendation: passed
      ? null
      : summary.loadgenBottleneck
        ? 'the load generator side limited this run (see issue delay and the notes): use a faster load-generator machine, raise --max-outstanding for a remote server, or lower --target-qps'
        : `lower --target-qps (this run: ${qps}; try about ${Math.max(1, Math.floor(qps * 0.8))}) or raise --latency-bound-ms`,
  };
}

function earlyStopping(settings: TestSettings, summary: MeasuredSummary): ValidityCheck {
  const es = summary.earlyStopping!;
  let recommendation: string | null = null;
  if (!es.passed) {
    if (settings.scenario === 'server' && es.minQueriesNeeded !== null) {
      const overRate = es.queryCount > 0 ? es.overLatencyCount / es.queryCount : 0;
      recommendation =
        overRate >= 1 - settings.latencyPercentile / 100
          ? `${es.overLatencyCount} of ${es.queryCount} queries were over the bound: more queries cannot pass; lower --target-qps`
          : runLongerAdvice(settings, es.minQueriesNeeded, es.queryCount);
    } else {
      recommendation = 'run more queries: raise --min-query-count or --max-duration-ms';
    }
  }
  return { name: 'earlyStopping', passed: es.passed, detail: es.message, recommendation };
}

function completedAll(summary: MeasuredSummary): ValidityCheck {
  const lost = summary.samplesFailed + summary.samplesMissing;
  const passed = lost === 0;
  const top = summary.errors[0];
  return {
    name: 'completedAll',
    passed,
    detail: passed
      ? `all ${summary.samplesIssued} samples answered`
      : `${summary.samplesFailed} failed, ${summary.samplesMissing} missing (no answer within the timeout) of ${summary.samplesIssued}`,
    recommendation: passed
      ? null
      : top
        ? `fix the failures (most frequent: "${top.message}", ${top.count}x), then run again`
        : 'raise --query-timeout-ms if the system is just slow, or find why answers were lost',
  };
}
