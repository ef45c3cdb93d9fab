import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunTestOutcome } from '../loadgen/run-test.js';
import { PACKAGE_ROOT } from '../workloads/paths.js';
import {
  type AccuracyResult,
  type BackendDescription,
  type LlmRunSummary,
  type ModelDescription,
  type OutputsRecord,
  RESULT_SCHEMA_VERSION,
  type RemoteSummary,
  type RunResult,
  type RunStatus,
  type SystemDescription,
  type WorkloadDescription,
} from './types.js';

let cachedVersion: string | null = null;

/** mlbench's own version, from its package.json. */
export function toolVersion(): string {
  cachedVersion ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return cachedVersion;
}

export interface ResultContext {
  readonly runId: string;
  readonly startedAt: Date;
  readonly workload: WorkloadDescription;
  readonly model: ModelDescription;
  readonly backend: BackendDescription;
  readonly system: SystemDescription;
  readonly requestedSettings: Record<string, unknown>;
  readonly notes: readonly string[];
  readonly accuracy: AccuracyResult | null;
  readonly remote: RemoteSummary | null;
  readonly llm?: LlmRunSummary | null;
  readonly outputs: OutputsRecord | null;
  readonly peakRssBytes: number;
}

/** Assembles result.json from a finished (or aborted) run. */
export function buildResult(outcome: RunTestOutcome, ctx: ResultContext): RunResult {
  const { summary } = outcome;
  const checks = [...outcome.checks];
  if (ctx.accuracy?.passed === false || ctx.accuracy?.passed === true) {
    checks.push({
      name: 'accuracyTarget',
      passed: ctx.accuracy.passed,
      detail: `${ctx.accuracy.metric} ${(ctx.accuracy.value * 100).toFixed(2)}% over ${ctx.accuracy.sampleCount} samples, target ${((ctx.accuracy.target ?? 0) * 100).toFixed(2)}%`,
      recommendation: ctx.accuracy.passed ? null : 'the model or runtime lost accuracy: check the model file, precision and provider',
    });
  }
  const status: RunStatus =
    outcome.status === 'aborted' ? 'aborted' : summary.samplesIssued > 0 && summary.samplesCompleted === 0 ? 'failed' : 'completed';
  const statusReason =
    status === 'aborted'
      ? 'interrupted by the user (SIGINT/SIGTERM): the results cover the part that ran'
      : status === 'failed'
        ? `no sample completed (${summary.samplesFailed} failed, ${summary.samplesMissing} missing)`
        : null;
  const { targetPercentileNs: _t, overLatencyCount: _o, ...scenarioSummary } = summary;
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'mlbench', version: toolVersion() },
    runId: ctx.runId,
    startedAt: ctx.startedAt.toISOString(),
    status,
    statusReason,
    workload: ctx.workload,
    model: ctx.model,
    backend: ctx.backend,
    system: ctx.system,
    resources: { peakRssBytes: ctx.peakRssBytes },
    requestedSettings: ctx.requestedSettings,
    effectiveSettings: outcome.settings,
    notes: [...outcome.notes, ...ctx.notes],
    summary: { ...scenarioSummary, warmup: outcome.warmup, accuracy: ctx.accuracy },
    ...(ctx.remote ? { remote: ctx.remote } : {}),
    ...(ctx.llm ? { llm: ctx.llm } : {}),
    ...(ctx.outputs ? { outputs: ctx.outputs } : {}),
    validity: { valid: status === 'completed' && checks.every((c) => c.passed), checks },
  };
}
