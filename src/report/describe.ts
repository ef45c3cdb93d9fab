import { basename } from 'node:path';
import type { BackendDescription, RunResult, SystemDescription } from '../results/types.js';
import type { SweepResult } from '../sweep/types.js';

/** Captions and labels: say what ran on what, from the result itself. */

export function backendLabel(b: BackendDescription): string {
  // An OpenAI-compatible server is told apart by what it serves and where, not by the client's libraries.
  const served = b.settings['model'];
  const url = b.settings['url'];
  if (b.name === 'openai' && typeof served === 'string' && typeof url === 'string') return `openai ${served} at ${url}`;
  const version = Object.values(b.versions)[0];
  const provider = b.settings['executionProvider'];
  const threads = b.settings['intraOpThreads'];
  return [
    version === undefined ? b.name : `${b.name} ${version}`,
    typeof provider === 'string' ? provider : null,
    typeof threads === 'number' && threads > 0 ? `${threads} threads` : null,
  ]
    .filter((s) => s !== null)
    .join(' ');
}

export function hardwareLabel(s: SystemDescription): string {
  const cpu = `${s.cpu.model} (${s.cpu.cores} cores)`;
  const gpus = s.gpus.length === 0 ? 'no GPU' : s.gpus.map((g) => g.name).join(', ');
  return `${cpu}, ${gpus}`;
}

/** Short label for legends and bars: backend, model and host. */
export function runLabel(r: RunResult): string {
  const model = r.model.path === null ? r.workload.name : basename(r.model.path);
  return `${backendLabel(r.backend)} · ${model} · ${r.summary.scenario} · ${r.system.hostname}`;
}

/** Labels for legends and bars, unique: runs that read the same get their run id appended. */
export function uniqueRunLabels(runs: readonly RunResult[]): string[] {
  const plain = runs.map(runLabel);
  return plain.map((l, i) => (plain.indexOf(l) === plain.lastIndexOf(l) ? l : `${l} · ${runs[i]!.runId}`));
}

export function sweepLabel(s: SweepResult): string {
  return `${backendLabel(s.backend)} · ${s.workload.name} · ${s.system.hostname}`;
}

function settingsLabel(r: RunResult): string {
  const e = r.effectiveSettings;
  const parts = [`${e.scenario} ${e.mode}`];
  if (e.targetQps !== null && e.scenario === 'server') parts.push(`target ${e.targetQps} QPS`);
  if (e.latencyBoundMs !== null) parts.push(`bound ${e.latencyBoundMs} ms at p${e.latencyPercentile}`);
  // Older results lack the token bounds: absent reads as none.
  if (e.ttftBoundMs !== undefined && e.ttftBoundMs !== null) parts.push(`TTFT bound ${e.ttftBoundMs} ms`);
  if (e.tpotBoundMs !== undefined && e.tpotBoundMs !== null) parts.push(`TPOT bound ${e.tpotBoundMs} ms`);
  parts.push(`min ${e.minDurationMs / 1000} s`);
  return parts.join(', ');
}

export function runCaption(r: RunResult): string {
  const model = r.model.path === null ? 'no model' : basename(r.model.path);
  return (
    `${r.workload.name} (${model}) on ${backendLabel(r.backend)}, ${hardwareLabel(r.system)}, host ${r.system.hostname}; ` +
    `${settingsLabel(r)}; run ${r.runId}, ${r.validity.valid ? 'VALID' : 'INVALID'}.`
  );
}

export function sweepCaption(s: SweepResult): string {
  const bound = s.latencyBoundMs === null ? 'no bound' : `bound ${s.latencyBoundMs} ms at p${s.percentile}`;
  return (
    `${s.workload.name} on ${backendLabel(s.backend)}, ${hardwareLabel(s.system)}, host ${s.system.hostname}; ` +
    `${s.mode} sweep (${s.method}), ${bound}; sweep ${s.sweepId}.`
  );
}

/** A file-name-safe slug. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}
