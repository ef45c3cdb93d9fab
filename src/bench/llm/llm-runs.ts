import type { SchedulerName } from '../../llm/engine/types.js';
import type { RunResult } from '../../results/types.js';

/** One Offline run against one scheduler: every prompt offered at once. */
export interface LlmOfflineRun {
  readonly scheduler: SchedulerName;
  readonly repetition: number;
  readonly outputTokensPerSecond: number;
  /** Completed requests over the run (Offline: start to the last completion). */
  readonly requestsPerSecond: number;
  readonly samplesCompleted: number;
  readonly samplesFailed: number;
  readonly durationNs: number;
  /** mlbench's own verdict on the run (kept, not required: the bench sizes runs below MLPerf's minimums). */
  readonly valid: boolean;
}

/** One Server run against one scheduler at the bench's fixed offered load. */
export interface LlmServerRun {
  readonly scheduler: SchedulerName;
  readonly repetition: number;
  readonly targetQps: number;
  readonly ttftP50Ns: number;
  readonly ttftP99Ns: number;
  readonly tpotP99Ns: number;
  readonly outputTokensPerSecond: number;
  readonly goodputRequestsPerSecond: number;
  readonly completedRequestsPerSecond: number;
  readonly samplesCompleted: number;
  readonly samplesFailed: number;
  readonly valid: boolean;
}

/** Where a run came from, for the error that names a run without token numbers. */
interface RunLabel {
  readonly scheduler: SchedulerName;
  readonly repetition: number;
}

/** A result.json of an Offline token run, reduced to what the bench compares. */
export function offlineRunOf(result: RunResult, label: RunLabel): LlmOfflineRun {
  const s = result.summary;
  const tokens = tokensOf(result, label);
  return {
    ...label,
    outputTokensPerSecond: tokens.outputTokensPerSecond ?? Number.NaN,
    requestsPerSecond: s.durationNs > 0 ? s.samplesCompleted / (s.durationNs / 1e9) : Number.NaN,
    samplesCompleted: s.samplesCompleted,
    samplesFailed: s.samplesFailed + s.samplesMissing,
    durationNs: s.durationNs,
    valid: result.validity.valid,
  };
}

/** A result.json of a Server token run at `targetQps`, reduced to what the bench compares. */
export function serverRunOf(result: RunResult, label: RunLabel, targetQps: number): LlmServerRun {
  const s = result.summary;
  const tokens = tokensOf(result, label);
  return {
    ...label,
    targetQps,
    ttftP50Ns: tokens.ttftNs?.percentilesNs['50'] ?? Number.NaN,
    ttftP99Ns: tokens.ttftNs?.percentilesNs['99'] ?? Number.NaN,
    tpotP99Ns: tokens.tpotNs?.percentilesNs['99'] ?? Number.NaN,
    outputTokensPerSecond: tokens.outputTokensPerSecond ?? Number.NaN,
    goodputRequestsPerSecond: tokens.goodputRequestsPerSecond ?? Number.NaN,
    completedRequestsPerSecond: s.completedSamplesPerSecond ?? Number.NaN,
    samplesCompleted: s.samplesCompleted,
    samplesFailed: s.samplesFailed + s.samplesMissing,
    valid: result.validity.valid,
  };
}

function tokensOf(result: RunResult, label: RunLabel): NonNullable<RunResult['summary']['tokens']> {
  const tokens = result.summary.tokens;
  if (tokens === undefined || tokens === null) {
    throw new Error(`llm bench: the ${label.scheduler} run of repetition ${label.repetition} reported no token summary (status ${result.status}${result.statusReason === null ? '' : `: ${result.statusReason}`})`);
  }
  return tokens;
}
