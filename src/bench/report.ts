import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Table from 'cli-table3';
import type { MainThreadStats } from '../loadgen/main-thread-watch.js';
import type { GcPauses } from './gc.js';
import type { OverheadResult } from './harness-overhead.js';
import type { LlmResult } from './llm/llm-batching.js';
import { llmRows } from './llm/llm-report-rows.js';
import type { MemoryResult } from './memory.js';
import type { OfflineResult } from './offline-throughput.js';
import type { PrecisionResult } from './precision/precision-throughput.js';
import type { ClientResult } from './remote/client-throughput.js';
import type { ToolResult } from './remote/load-tools.js';
import type { ServeResult } from './remote/serve-throughput.js';
import type { ServerResult } from './server-issue-delay.js';
import type { BenchName, LoadAverage, TargetCheck } from './types.js';

/** Each bench's result type, by name: adding a bench fails type checking until it is reported. */
export interface BenchResults {
  readonly offline: OfflineResult;
  readonly server: ServerResult;
  readonly overhead: OverheadResult;
  readonly memory: MemoryResult;
  readonly client: ClientResult;
  readonly serve: ServeResult;
  readonly precision: PrecisionResult;
  readonly llm: LlmResult;
}

interface RunCommon {
  readonly wallMs: number;
  readonly loadAverage: { readonly before: LoadAverage; readonly after: LoadAverage };
}

export type BenchRun<K extends BenchName> =
  | (RunCommon & { readonly state: 'completed'; readonly result: BenchResults[K] })
  | (RunCommon & { readonly state: 'errored'; readonly error: string });

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly node: string;
  readonly v8: string;
  /** The node/V8 flags the bench ran under (process.execArgv). */
  readonly nodeFlags: readonly string[];
  readonly platform: string;
  readonly arch: string;
}

export interface BenchReport {
  readonly kind: 'mlbench-bench';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly argv: readonly string[];
  readonly options: { readonly only: readonly BenchName[]; readonly quick: boolean; readonly soakSeconds: number };
  readonly machine: MachineInfo;
  /** Over the whole invocation; each bench also records its own before and after. */
  readonly loadAverage: { readonly start: LoadAverage; readonly end: LoadAverage };
  readonly benches: { readonly [K in BenchName]?: BenchRun<K> };
  readonly targets: readonly TargetCheck[];
}

const PLAIN = { head: [] as string[], border: [] as string[] };

/** The human-readable report: pure, returns the text. */
export function formatReport(report: BenchReport): string {
  const out: string[] = [];
  const m = report.machine;
  out.push(`mlbench bench, ${report.startedAt}`);
  const flags = m.nodeFlags.length > 0 ? ` ${m.nodeFlags.join(' ')}` : '';
  out.push(`machine: ${m.cpuModel}, ${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB, node ${m.node}${flags} (${m.platform}/${m.arch})`);
  out.push(`load average (1/5/15 min): start ${fmtLoad(report.loadAverage.start)}, end ${fmtLoad(report.loadAverage.end)}`);
  const b = report.benches;
  if (b.offline) out.push('', section('Offline, null backend', b.offline, offlineRows));
  if (b.server) out.push('', section('Server issue delay, null backend', b.server, serverRows));
  if (b.overhead) out.push('', section('Harness overhead, SingleStream on onnxruntime', b.overhead, overheadRows));
  if (b.memory) out.push('', section('Memory, null backend', b.memory, memoryRows));
  if (b.client) out.push('', section('Remote clients against a constant v2 server', b.client, clientRows));
  if (b.serve) out.push('', section('mlbench serve with dynamic batching vs onnxruntime direct, Offline', b.serve, serveRows));
  if (b.precision) out.push('', section('Precision variants under onnxruntime-node, Offline', b.precision, precisionRows));
  if (b.llm) out.push('', section('mlbench serve --llm: continuous vs static batching, llm-mixed', b.llm, llmRows));
  out.push('', 'Targets');
  const targets = new Table({ head: ['target', 'measured', 'goal', 'result'], style: PLAIN });
  for (const t of report.targets) {
    targets.push([t.name, `${num(t.measured)} ${t.unit}`, `${t.comparison === 'atLeast' ? '>=' : '<='} ${num(t.target)} ${t.unit}`, t.met ? 'PASS' : 'FAIL']);
  }
  out.push(targets.toString());
  const met = report.targets.filter((t) => t.met).length;
  out.push(`${met} of ${report.targets.length} targets met`);
  return `${out.join('\n')}\n`;
}

function section<K extends BenchName>(title: string, run: BenchRun<K>, rows: (result: BenchResults[K]) => string[][]): string {
  const head = `${title} (${(run.wallMs / 1000).toFixed(1)} s, load ${fmtLoad(run.loadAverage.before)} -> ${fmtLoad(run.loadAverage.after)})`;
  if (run.state === 'errored') return `${head}\n  ERRORED: ${run.error}`;
  const table = new Table({ style: PLAIN });
  for (const row of rows(run.result)) table.push(row);
  return `${head}\n${table.toString()}`;
}

function offlineRows(r: OfflineResult): string[][] {
  const rows = r.runs.map((run, i) => [
    `run ${i + 1}: ${num(run.sampleCount)} samples`,
    `issue+complete+record ${rate(run.issueCompleteRecordSamplesPerSecond)} (${ms(run.issueCompleteRecordNs)}); with summarize ${rate(run.withSummarizeSamplesPerSecond)} (summarize ${ms(run.summarizeNs)})`,
  ]);
  const s = r.summarizeBreakdown;
  return [
    ...rows,
    ['median', `issue+complete+record ${rate(r.median.issueCompleteRecordSamplesPerSecond)}; with summarize ${rate(r.median.withSummarizeSamplesPerSecond)}`],
    ['full runTest', `${rate(r.runTest.samplesPerSecond)} (${ms(r.runTest.wallNs)} wall)`],
    ['summarize pieces', `extract ${ms(s.extractLatenciesNs)}, one sort ${ms(s.sortNs)} (x2 in summarize), HDR build ${ms(s.buildHistogramNs)}, encode ${ms(s.encodeHistogramNs)}`],
  ];
}

function serverRows(r: ServerResult): string[][] {
  const d = r.run.issueDelayNs;
  const f = r.floor.bareSchedulerDelayNs;
  const rows = [
    [`mlbench at ${num(r.run.targetQps)} QPS, ${r.run.durationMs / 1000} s`, `issue delay p50 ${us(d.p50)}, p90 ${us(d.p90)}, p99 ${us(d.p99)}, p99.9 ${us(d.p999)}, max ${us(d.max)} (${num(r.run.queries)} queries); ${gc(r.run.gcPauses)}; ${cpuWait(r.run.mainThread)}`],
    [`bare scheduler at ${num(r.floor.targetQps)} QPS, ${r.floor.durationMs / 1000} s`, `issue delay p50 ${us(f.p50)}, p90 ${us(f.p90)}, p99 ${us(f.p99)}, p99.9 ${us(f.p999)}, max ${us(f.max)}; ${gc(r.floor.bareSchedulerGcPauses)}`],
    ['idle setImmediate spin', `turn gap p99 ${us(r.floor.spinTurnGapNs.p99)}, p99.9 ${us(r.floor.spinTurnGapNs.p999)}, max ${us(r.floor.spinTurnGapNs.max)}; ${r.floor.spinTimeInGapsOver100UsPercent.toFixed(2)}% of time in gaps > 100 µs`],
  ];
  if (r.search !== null) {
    for (const p of r.search.probes) {
      rows.push([`probe ${num(p.targetQps)} QPS, ${p.durationMs / 1000} s`, `p99 ${us(p.issueDelayNs.p99)}, p99.9 ${us(p.issueDelayNs.p999)} ${p.p99WithinTarget ? 'ok' : 'over'}`]);
    }
    rows.push(['highest QPS with p99 <= 100 µs', r.search.highestPassingQps === null ? 'none probed' : `${num(r.search.highestPassingQps)} (lowest failing ${r.search.lowestFailingQps === null ? 'none' : num(r.search.lowestFailingQps)})`]);
  }
  return rows;
}

function overheadRows(r: OverheadResult): string[][] {
  const rows = r.rounds.map((round) => [
    `round ${round.round} (${round.first} first)`,
    `bare median ${us(round.bare.latencyNs.p50)} (${num(round.bare.count)} runs), mlbench ${us(round.mlbench.latencyNs.p50)} (${num(round.mlbench.count)} queries): ${pct(round.overheadPercent)}`,
  ]);
  return [
    [`workload`, `${r.workload.name} ${r.workload.inputs.join(', ')}, onnxruntime-node ${r.ort.version}`],
    ...rows,
    ['pooled medians', `bare ${us(r.bareMedianNs)}, mlbench ${us(r.mlbenchMedianNs)}: overhead ${pct(r.overheadPercent)} (median of rounds ${pct(r.medianRoundOverheadPercent)})`],
    ['timing', 'bare: tinybench (hrtime); mlbench: its own recorder'],
  ];
}

function memoryRows(r: MemoryResult): string[][] {
  const rows = r.retained.map((run) => [
    `${num(run.queries)} Server queries (virtual clock)`,
    `retained ${run.retainedBytesPerQuery.toFixed(1)} B/query (recorder arrays at capacity ~${run.recorderCapacityBytesPerQuery.toFixed(1)}), after release ${run.leakedBytesPerQuery.toFixed(2)} B/query${run.recorderCollected ? '' : ', RECORDER NOT COLLECTED'}`,
  ]);
  if (r.marginalBytesPerQuery !== null) rows.push(['marginal (largest minus smallest)', `${r.marginalBytesPerQuery.toFixed(1)} B/query`]);
  if (!r.gcForced) rows.push(['note', 'no forced GC available: heap numbers are noisy']);
  const s = r.soak;
  if (s !== null) {
    rows.push([
      `RSS soak ${s.seconds} s at ${num(s.targetQps)} QPS`,
      `mean RSS ${mib(s.rssAfterWarmup)} over the first ${s.windowSeconds} s after ${s.warmupSeconds} s warm-up -> ${mib(s.rssEnd)} over the last ${s.windowSeconds} s; slope ${s.rssSlopeBytesPerSecond.toFixed(0)} B/s = ${s.rssSlopeBytesPerQuery.toFixed(1)} B/query (heap+external ${s.heapSlopeBytesPerQuery.toFixed(1)} B/query)`,
    ]);
  }
  return rows;
}

/** Writes bench-<timestamp>.json and latest.json; returns both paths. */
export async function writeReport(report: BenchReport, dir: string): Promise<{ path: string; latest: string }> {
  await mkdir(dir, { recursive: true });
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const path = join(dir, `bench-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  const latest = join(dir, 'latest.json');
  await writeFile(path, text);
  await writeFile(latest, text);
  return { path, latest };
}

function gc(p: GcPauses): string {
  return `GC ${p.count} pauses, ${p.totalMs.toFixed(1)} ms total, ${p.over100UsCount} over 100 µs, max ${p.maxMs.toFixed(2)} ms`;
}

/** A probe's main-thread pauses, briefly: the longest GC pause and the CPU wait. */
function threadText(m: MainThreadStats | null): string {
  if (m === null) return '';
  const wait = m.cpuWait === null ? '' : `, CPU wait ${m.cpuWait.runQueueWaitMs.toFixed(0)} ms`;
  return `; GC max ${m.gcPauses.maxMs.toFixed(1)} ms${wait}`;
}

/** How long the measured window's main thread waited for a CPU other tasks held. */
function cpuWait(m: MainThreadStats | null): string {
  if (m?.cpuWait == null) return 'CPU wait not measured';
  return `measured window: main thread waited ${m.cpuWait.runQueueWaitMs.toFixed(1)} ms for a CPU (${m.cpuWait.involuntarySwitches} preemptions)`;
}

function fmtLoad(load: LoadAverage): string {
  return load.map((v) => v.toFixed(2)).join('/');
}

function num(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 2 });
}

function rate(perSecond: number): string {
  return `${(perSecond / 1e6).toFixed(2)} M samples/s`;
}

function ms(ns: number): string {
  return `${(ns / 1e6).toFixed(0)} ms`;
}

function us(ns: number): string {
  return `${(ns / 1000).toFixed(1)} µs`;
}

function pct(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(2)}%`;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function toolRow(t: ToolResult): string[] {
  if (t.skipped !== null) return [t.tool, `skipped: ${t.skipped}`];
  const runs = t.byConnections.map((r) => `${r.connections} conn ${num(Math.round(r.requestsPerSecond))} req/s${r.errors > 0 ? ` (${r.errors} errors)` : ''}`);
  return [t.tool, `best ${num(Math.round(t.bestRequestsPerSecond))} req/s (${runs.join(', ')})`];
}

function probeRows(label: string, m: ClientResult['grpc']['mlbench']): string[][] {
  const probes = m.probes.map((p) => `${num(p.targetQps)}: ${p.ok ? 'ok' : 'over'} (p99 ${p.issueDelayP99Ns === null ? '-' : us(p.issueDelayP99Ns)}, completed ${p.completedQps === null ? '-' : num(Math.round(p.completedQps))}/s${p.samplesFailed > 0 ? `, ${p.samplesFailed} failed` : ''}${p.heldBackQueries > 0 ? `, ${p.heldBackQueries} held back` : ''}${threadText(p.mainThread)})`);
  return [[label, `highest QPS with issue delay p99 <= 1 ms: ${num(m.bestQps)}`], ['  probes', probes.join('; ')]];
}

function clientRows(r: ClientResult): string[][] {
  return [toolRow(r.http.autocannon), toolRow(r.http.wrk), ...probeRows('mlbench kserve-http (JSON)', r.http.mlbench), ...probeRows('mlbench kserve-grpc', r.grpc.mlbench)];
}

function serveRows(r: ServeResult): string[][] {
  const rows = [['onnxruntime direct, Offline', `median ${num(Math.round(r.directSamplesPerSecond))} samples/s (${r.direct.map((x) => num(Math.round(x))).join(', ')})`]];
  for (const s of r.served) {
    const sizes = Object.entries(s.serverBatchSizes).map(([size, count]) => `${size}x${num(count)}`).join(', ');
    const label = `through mlbench serve, ${s.requestSize} sample${s.requestSize === 1 ? '' : 's'} per request, ${s.instances} instance${s.instances === 1 ? '' : 's'}`;
    rows.push([label, `median ${num(Math.round(s.medianSamplesPerSecond))} samples/s (${s.runs.map((x) => num(Math.round(x))).join(', ')}): ${s.ratioPercent.toFixed(1)}% of direct`]);
    rows.push(['  batches the server formed', sizes === '' ? 'none reported' : sizes]);
  }
  return rows;
}

function precisionRows(r: PrecisionResult): string[][] {
  const rows = r.cells.map((c) => [
    `${c.workload} ${c.precision}, ${c.threads === 0 ? 'default threads' : `${c.threads} thread${c.threads === 1 ? '' : 's'}`}`,
    `median ${num(Math.round(c.medianSamplesPerSecond))} samples/s (${c.runs.map((x) => num(Math.round(x))).join(', ')}): ${c.vsFp32.toFixed(2)}x fp32`,
  ]);
  if (r.profileSeconds !== null) rows.push(['default mlbench profile (quick)', `${r.profileSeconds.toFixed(1)} s`]);
  return rows;
}
