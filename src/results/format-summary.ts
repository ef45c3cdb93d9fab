import type { MainThreadStats } from '../loadgen/main-thread-watch.js';
import { formatLlm } from './format-llm.js';
import { formatRemote } from './format-remote.js';
import { formatTokens, tokenEarlyStoppingLine } from './format-tokens.js';
import type { LatencyStats, RunResult, ScenarioSummary } from './types.js';

export interface SummaryOptions {
  /** ANSI colours; the caller decides (NO_COLOR, TTY). */
  readonly color: boolean;
}

type Paint = (code: string, text: string) => string;

const GREEN = '32';
const RED = '31';
const YELLOW = '33';
const BOLD = '1';
const RULE = '='.repeat(64);
const MAX_ERROR_KINDS = 5;

/**
 * The human summary of one run (console and summary.txt), after LoadGen's
 * mlperf_log_summary.txt: verdict first, then why, then the numbers behind it.
 */
export function formatSummary(result: RunResult, options: SummaryOptions): string {
  const paint: Paint = options.color ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_code, text) => text;
  const s = result.summary;
  const lines: string[] = [RULE, `mlbench result ${result.runId} (started ${result.startedAt})`, RULE];
  lines.push(...header(result), '');

  lines.push(paint(BOLD, `${s.metric.name} : ${metricValue(s.metric)}`));
  const valid = result.validity.valid;
  lines.push(`Result is : ${paint(valid ? GREEN : RED, valid ? 'VALID' : 'INVALID')}`);
  for (const check of result.validity.checks) {
    const mark = check.passed ? paint(GREEN, '✓') : paint(RED, '✗');
    lines.push(`  ${mark} ${check.name.padEnd(18)} ${check.detail}`);
    if (!check.passed && check.recommendation !== null) lines.push(`      → ${check.recommendation}`);
  }
  lines.push((s.tokens ? tokenEarlyStoppingLine(s.tokens) : null) ?? earlyStoppingLine(s));
  if (s.accuracy !== null) {
    const a = s.accuracy;
    const target = a.target === null ? 'no target' : `target ${percent(a.target)}: ${a.passed === true ? 'passed' : 'failed'}`;
    lines.push(`Accuracy: ${a.metric} ${percent(a.value)} over ${a.sampleCount} samples, ${target}`);
    if (a.reference !== undefined) {
      lines.push(`  vs reference ${a.reference.file}: top-1 agreement ${percent(a.reference.agreement)}, mean cosine ${a.reference.meanCosine.toFixed(6)}`);
    }
  }
  if (result.outputs != null) lines.push(`Outputs : ${result.outputs.file} (${result.outputs.rows} x ${result.outputs.rowWidth} float32, output '${result.outputs.output}')`);

  lines.push('', `Measured: ${s.queriesIssued} queries, ${s.samplesIssued} samples in ${(s.durationNs / 1e9).toFixed(3)} s`);
  lines.push(...latencyTable(s, result.effectiveSettings.latencyPercentile));
  if (s.tokens) lines.push(...formatTokens(s.tokens, s.scenario === 'server' || s.scenario === 'offline' ? 'scheduled' : 'issue'));
  if (s.loadgenBottleneck) {
    lines.push(
      paint(`${BOLD};${YELLOW}`, '!! LOADGEN BOTTLENECK: queries were issued late against the latency bound, or held back by the client (see issue delay and notes);'),
      paint(`${BOLD};${YELLOW}`, '!! the load generator, not the system under test, limited this run.'),
    );
  }
  if (s.mainThread !== undefined) lines.push(mainThreadLine(s.mainThread));
  lines.push('', ...throughput(s), ...failures(s));
  if (result.remote !== undefined) lines.push(...formatRemote(result.remote));
  if (result.llm !== undefined) lines.push(...formatLlm(result.llm));

  const warm = s.warmup;
  const first = warm.firstQueryLatencyNs === null ? '' : `, first query ${ms(warm.firstQueryLatencyNs)} ms`;
  const cold = result.backend.coldStartNs === null ? '' : `; cold start (session creation) ${ms(result.backend.coldStartNs)} ms`;
  lines.push(`Warmup: ${warm.queryCount === 0 ? 'none' : `${warm.queryCount} queries`}${first}${cold}`);
  lines.push(...settingsLines(result));
  if (result.notes.length > 0) lines.push('Notes:', ...result.notes.map((note) => `  • ${note}`));
  return `${lines.join('\n')}\n`;
}

function header(result: RunResult): string[] {
  const { model, backend } = result;
  const modelFacts = [
    ...(model.sha256 === null ? [] : [`sha256 ${model.sha256.slice(0, 12)}`]),
    ...(model.sizeBytes === null ? [] : [bytes(model.sizeBytes)]),
  ];
  const versions = Object.entries(backend.versions).map(([name, version]) => `${name} ${version}`);
  const settings = Object.entries(backend.settings).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const { precision, calibration } = result.workload;
  const variant = precision == null ? '' : `, precision ${precision}`;
  const calibrated = calibration == null ? [] : [`Calibration: ${calibration.method} over ${calibration.sampleCount} samples (${calibration.samples}); activations ${calibration.activations}, weights ${calibration.weights}`];
  const peak = result.resources === undefined ? '' : `; peak RSS ${bytes(result.resources.peakRssBytes)}`;
  return [
    `Workload : ${result.workload.name} (${result.workload.source})${variant}`,
    ...calibrated,
    `Model    : ${model.path ?? servedModel(result) ?? 'none (this backend runs no model)'}${modelFacts.length > 0 ? ` (${modelFacts.join(', ')})` : ''}`,
    `Backend  : ${[backend.name, ...versions].join(', ')}${settings.length > 0 ? ` (${settings.join(', ')})` : ''}`,
    `Scenario : ${result.summary.scenario}${result.effectiveSettings.interactive ? ' (interactive: tighter TTFT/TPOT bounds)' : ''}, ${result.summary.mode} mode`,
    `Status   : ${result.status}${result.statusReason === null ? '' : `: ${result.statusReason}`}${peak}`,
  ];
}

/** A model on a server: KServe v2 or OpenAI-compatible. */
function servedModel(result: RunResult): string | null {
  if (result.remote) return `${result.remote.model} on ${result.remote.url}`;
  if (result.llm) return `${String(result.backend.settings['model'])} on ${String(result.backend.settings['url'])} (OpenAI-compatible)`;
  return null;
}

function metricValue(metric: ScenarioSummary['metric']): string {
  if (metric.value === null) return 'n/a';
  const decimals = metric.unit === 'ms' ? 3 : metric.unit === 'ns' ? 0 : 2;
  return `${metric.value.toFixed(decimals)} ${metric.unit}`;
}

function earlyStoppingLine(s: ScenarioSummary): string {
  const es = s.earlyStopping;
  if (es === null) return `Early stopping: not applied (${s.mode === 'accuracy' ? 'accuracy mode' : s.scenario})`;
  const verdict = es.passed ? 'passed' : 'failed';
  if (es.estimateNs !== null) {
    return `Early stopping: ${verdict}, p${es.percentile} estimate ${ms(es.estimateNs)} ms from ${es.queryCount} queries`;
  }
  const needed = es.minQueriesNeeded === null ? '' : `, ${es.minQueriesNeeded} needed`;
  return `Early stopping: ${verdict}, ${es.queryCount} queries, ${es.overLatencyCount} over the bound${needed}`;
}

/** Rows min, mean, every percentile any column has (the target marked), max. */
function latencyTable(s: ScenarioSummary, targetPercent: number): string[] {
  const columns: { title: string; stats: LatencyStats; show: (ns: number) => string }[] = [];
  if (s.sampleLatency !== null) columns.push({ title: 'sample (ms)', stats: s.sampleLatency, show: ms });
  if (s.queryLatency !== null) columns.push({ title: 'query (ms)', stats: s.queryLatency, show: ms });
  if (s.issueDelay !== null) columns.push({ title: 'issue delay (µs)', stats: s.issueDelay, show: (ns) => (ns / 1e3).toFixed(1) });
  if (columns.length === 0) return ['Latency: no sample completed'];

  const keys = [...new Set(columns.flatMap((c) => Object.keys(c.stats.percentilesNs)))].sort((a, b) => Number(a) - Number(b));
  const rows: { label: string; value: (stats: LatencyStats) => number | undefined }[] = [
    { label: 'min', value: (st) => st.minNs },
    { label: 'mean', value: (st) => st.meanNs },
    ...keys.map((key) => ({
      label: Number(key) === targetPercent ? `p${key} (target)` : `p${key}`,
      value: (st: LatencyStats) => st.percentilesNs[key],
    })),
    { label: 'max', value: (st) => st.maxNs },
  ];
  const cells = rows.map((row) => columns.map((c) => {
    const ns = row.value(c.stats);
    return ns === undefined ? '-' : c.show(ns);
  }));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const labelWidth = Math.max(8, ...rows.map((r) => r.label.length));
  const line = (label: string, values: readonly string[]): string =>
    `  ${label.padEnd(labelWidth)}${values.map((v, i) => `  ${v.padStart(widths[i] ?? 0)}`).join('')}`;
  return [line('latency', columns.map((c) => c.title)), ...rows.map((row, r) => line(row.label, cells[r] ?? []))];
}

function throughput(s: ScenarioSummary): string[] {
  const rates: [string, number | null][] = [
    ['Completed samples/s', s.completedSamplesPerSecond],
    ['Scheduled samples/s', s.scheduledSamplesPerSecond],
    ['Goodput samples/s  ', s.goodputSamplesPerSecond],
  ];
  return rates.filter((entry): entry is [string, number] => entry[1] !== null).map(([label, rate]) => `${label} : ${rate.toFixed(2)}`);
}

function failures(s: ScenarioSummary): string[] {
  if (s.samplesFailed + s.samplesMissing === 0 && s.errors.length === 0) return [];
  const lines = [`Failures: ${s.samplesFailed} failed, ${s.samplesMissing} missing (no answer in time) of ${s.samplesIssued} samples`];
  for (const error of s.errors.slice(0, MAX_ERROR_KINDS)) lines.push(`  ${error.count} × ${error.message}`);
  if (s.errors.length > MAX_ERROR_KINDS) lines.push(`  … and ${s.errors.length - MAX_ERROR_KINDS} more kinds`);
  return lines;
}

function settingsLines(result: RunResult): string[] {
  const e = result.effectiveSettings;
  const parts = [
    ...(e.targetQps === null ? [] : [`target QPS ${e.targetQps}`]),
    e.latencyBoundMs === null ? `no latency bound (p${e.latencyPercentile})` : `latency bound ${e.latencyBoundMs} ms at p${e.latencyPercentile}`,
    ...(e.tokenLatencies ? [e.ttftBoundMs === null && e.tpotBoundMs === null ? 'no TTFT/TPOT bounds' : `TTFT bound ${e.ttftBoundMs ?? 'none'}, TPOT bound ${e.tpotBoundMs ?? 'none'} (ms, p99)`] : []),
    `min duration ${e.minDurationMs} ms`,
    `min queries ${e.minQueryCount}`,
    ...(e.scenario === 'multistream' ? [`${e.samplesPerQuery} samples/query`] : []),
    ...(e.offlineExpectedQps === null ? [] : [`offline expected QPS ${e.offlineExpectedQps}`]),
  ];
  const { sampleSet, sampleIndex, schedule } = e.seeds;
  return [`Settings: ${parts.join(', ')}`, `Seeds: sampleSet ${sampleSet}, sampleIndex ${sampleIndex}, schedule ${schedule}`];
}

const ms = (ns: number): string => (ns / 1e6).toFixed(3);

const percent = (fraction: number): string => `${(fraction * 100).toFixed(2)}%`;

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** Pauses of the issuing thread: where issue delay and latency tails come from when not from the system. */
function mainThreadLine(m: MainThreadStats): string {
  const gc = `${m.gcPauses.count} GC pauses (${m.gcPauses.totalMs.toFixed(1)} ms in all, longest ${m.gcPauses.maxMs.toFixed(2)} ms)`;
  const cpu =
    m.cpuWait === null
      ? 'CPU wait not readable on this OS'
      : `waited ${m.cpuWait.runQueueWaitMs.toFixed(1)} ms for a CPU, preempted ${m.cpuWait.involuntarySwitches} times`;
  return `Main thread during the measured window: ${gc}; ${cpu}`;
}
