import type { MainThreadStats } from '../loadgen/main-thread-watch.js';
import type { TestSettings } from '../loadgen/settings.js';
import type { ScenarioName, TestMode } from '../loadgen/types.js';
import type { OpenAiStats } from '../openai/types.js';
import type { RemoteStats } from '../remote/types.js';

/** Bumped on any incompatible change to result.json; readers check it. */
export const RESULT_SCHEMA_VERSION = '1.5.0';

/** Latency distribution of one quantity (sample latency, query latency, issue delay). */
export interface LatencyStats {
  readonly count: number;
  readonly minNs: number;
  readonly maxNs: number;
  readonly meanNs: number;
  /** Keys are percents as strings: "50", "90", "95", "97", "99", "99.9" and the target. */
  readonly percentilesNs: Readonly<Record<string, number>>;
  /** hdr-histogram-js compressed histogram (base64) of the same values, in ns. */
  readonly hdrHistogram: string;
}

export interface EarlyStoppingResult {
  /** Server: the verdict. SingleStream/MultiStream: whether the estimate could be computed. */
  readonly passed: boolean;
  readonly percentile: number;
  readonly queryCount: number;
  readonly overLatencyCount: number;
  /** Least number of queries that passes with this many over the bound (Server). */
  readonly minQueriesNeeded: number | null;
  /** SingleStream/MultiStream: the early-stopping latency estimate. */
  readonly estimateNs: number | null;
  readonly message: string;
}

export type ValidityCheckName =
  | 'minDuration'
  | 'minQueries'
  | 'latencyConstraint'
  | 'earlyStopping'
  | 'completedAll'
  | 'accuracyTarget'
  | 'ttftConstraint'
  | 'tpotConstraint'
  | 'earlyStoppingTtft'
  | 'earlyStoppingTpot'
  | 'outputLength';

export interface ValidityCheck {
  readonly name: ValidityCheckName;
  readonly passed: boolean;
  /** What was measured against what, in plain words. */
  readonly detail: string;
  /** When failed: what to change, concretely ("lower --target-qps to about 850"). */
  readonly recommendation: string | null;
}

export type RunStatus = 'completed' | 'aborted' | 'failed';

export interface ScenarioSummary {
  readonly scenario: ScenarioName;
  readonly mode: TestMode;
  /** The scenario's headline metric, named as LoadGen names it. */
  /** null when it could not be computed (e.g. too few queries for the early-stopping estimate). */
  readonly metric: { readonly name: string; readonly value: number | null; readonly unit: string };
  readonly durationNs: number;
  readonly queriesIssued: number;
  readonly samplesIssued: number;
  readonly samplesCompleted: number;
  readonly samplesFailed: number;
  readonly samplesMissing: number;
  /** Failures grouped by message, most frequent first. */
  readonly errors: readonly { readonly message: string; readonly count: number }[];
  /** Server: LoadGen's completed samples/s, (N-1)/(last completion - start). */
  readonly completedSamplesPerSecond: number | null;
  /** Server: (N-1)/(last scheduled time). */
  readonly scheduledSamplesPerSecond: number | null;
  /** Samples/s that completed within the latency bound (Server), else null. */
  readonly goodputSamplesPerSecond: number | null;
  readonly sampleLatency: LatencyStats | null;
  /** MultiStream (and any scenario with >1 sample per query). */
  readonly queryLatency: LatencyStats | null;
  /** Server: actual issue time minus scheduled time. */
  readonly issueDelay: LatencyStats | null;
  /** True when issue delay is large against the bound: the load generator, not the SUT, limited. */
  readonly loadgenBottleneck: boolean;
  /** What took the main thread away during the measured window: GC pauses, CPU wait (schema 1.5; performance runs). */
  readonly mainThread?: MainThreadStats;
  readonly earlyStopping: EarlyStoppingResult | null;
  readonly warmup: {
    readonly queryCount: number;
    readonly firstQueryLatencyNs: number | null;
  };
  readonly accuracy: AccuracyResult | null;
  /** LLM streams (settings.tokenLatencies): TTFT, TPOT, ITL, token throughput and goodput. */
  readonly tokens?: TokenSummary | null;
}

/** Plain values (token counts, tokens/s): LoadGen-rule percentiles keyed by percent. */
export interface ValueStats {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly percentiles: Readonly<Record<string, number>>;
}

/** What an LLM run measured per token (see src/loadgen/token-summary.ts for the definitions). */
export interface TokenSummary {
  /** The percentile TTFT and TPOT are judged at (99, as MLPerf). */
  readonly percentile: number;
  /** Time to first token of completed samples, from the query's origin. */
  readonly ttftNs: LatencyStats | null;
  /** Time per output token, per sample: (e2e - TTFT) / (tokens - 1), samples of 2+ tokens. */
  readonly tpotNs: LatencyStats | null;
  /** Inter-token latency: every gap between consecutive token chunks. */
  readonly itlNs: LatencyStats | null;
  /** Output tokens of completed samples, in all and per request. */
  readonly outputTokens: number;
  readonly outputTokensPerRequest: ValueStats | null;
  /** Completed samples' tokens over start .. last completion. */
  readonly outputTokensPerSecond: number | null;
  /** Per request: output tokens / end-to-end latency (LLMPerf's request output throughput). */
  readonly requestOutputTokensPerSecond: ValueStats | null;
  readonly ttftBoundMs: number | null;
  readonly tpotBoundMs: number | null;
  /** p99 with failed samples counted as infinite (what the bound is judged on); null when none or infinite. */
  readonly ttftAtPercentileNs: number | null;
  readonly tpotAtPercentileNs: number | null;
  /** Samples over each bound, failures included; null without a bound. */
  readonly overTtftBound: number | null;
  readonly overTpotBound: number | null;
  /** Completed requests within every token bound, and their rate. */
  readonly goodRequests: number;
  readonly goodputRequestsPerSecond: number | null;
  /** Server: early stopping on each token metric (LoadGen evaluates both). */
  readonly earlyStoppingTtft: EarlyStoppingResult | null;
  readonly earlyStoppingTpot: EarlyStoppingResult | null;
  /** Completed samples that brought no token (no TTFT), or one (no TPOT: LoadGen logs an error). */
  readonly samplesWithoutFirstToken: number;
  readonly samplesWithOneToken: number;
  /** Tokens that failed samples delivered before they broke (kept in detail.jsonl). */
  readonly tokensOfFailedSamples: number;
  /** Token-carrying chunks, and those that carried more than one token. */
  readonly chunks: number;
  readonly chunksWithSeveralTokens: number;
  /** Input tokens of the completed samples by the workload's tokenizer; null when unknown. */
  readonly inputTokens: number | null;
  /** From the start of the measured window to the last completion: what the token rates divide by. */
  readonly windowNs: number;
}

export interface AccuracyResult {
  readonly metric: string;
  readonly value: number;
  readonly target: number | null;
  readonly passed: boolean | null;
  readonly sampleCount: number;
  /** With --reference-outputs: how this run's outputs compare with the reference run's. */
  readonly reference?: {
    readonly file: string;
    /** Fraction of samples whose largest output is at the same index as the reference's. */
    readonly agreement: number;
    /** Mean cosine similarity of the output vectors. */
    readonly meanCosine: number;
  };
}

/** An accuracy run's outputs.bin: float32 little-endian rows in dataset order (NaN = unanswered). */
export interface OutputsRecord {
  readonly file: string;
  readonly rows: number;
  readonly rowWidth: number;
  /** The model output the rows come from (the first one). */
  readonly output: string;
}

/** How an int8-static variant was calibrated (from the workload file). */
export interface CalibrationDescription {
  readonly method: string;
  readonly sampleCount: number;
  readonly samples: string;
  readonly activations: string;
  readonly weights: string;
}

/** The workload as run: which precision variant of its model, and how that variant was made. */
export interface WorkloadDescription {
  readonly name: string;
  readonly source: string;
  /** 'fp32', 'fp16', 'int8-dynamic', 'int8-static' or a workload's own variant name; null for a bare --model. */
  readonly precision?: string | null;
  readonly calibration?: CalibrationDescription | null;
}

export interface SystemDescription {
  readonly hostname: string;
  readonly os: { readonly platform: string; readonly release: string; readonly arch: string };
  readonly cpu: { readonly model: string; readonly cores: number; readonly flags: readonly string[] };
  readonly memoryBytes: number;
  readonly node: string;
  /** process.execArgv: e.g. the V8 heap flags the bin passes (schema 1.4; absent in older results). */
  readonly nodeFlags?: readonly string[];
  readonly gpus: readonly { readonly name: string; readonly memoryMiB: number | null; readonly driver: string | null }[];
  /** Why `gpus` is empty, when it is: e.g. "nvidia-smi not found". */
  readonly gpuNote: string | null;
}

export interface BackendDescription {
  readonly name: string;
  /** e.g. { "onnxruntime-node": "1.30.0" } */
  readonly versions: Readonly<Record<string, string>>;
  /** Provider, threads, batching... exactly as the backend ran. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Session creation / model load time. */
  readonly coldStartNs: number | null;
}

export interface ModelDescription {
  readonly path: string | null;
  readonly sha256: string | null;
  readonly sizeBytes: number | null;
  /** Inputs as the model declares them and as the run fed them. */
  readonly inputs: readonly { readonly name: string; readonly type: string; readonly declaredShape: readonly (number | string)[]; readonly shape: readonly number[] }[];
  /** e.g. "dimension 'batch' of input 'x' assumed 1". */
  readonly assumptions: readonly string[];
}

/** A run against a remote server: the client's view, split into client and server time. */
export interface RemoteSummary extends RemoteStats {
  /** The client's cap on requests outstanding at once. */
  readonly maxOutstanding: number;
  /** Measured queries that found the cap reached and waited in the client (Server: the load generator's fault). */
  readonly heldBackQueries: number;
}

/** What a run against an OpenAI-compatible server knows beyond the token metrics. */
export interface LlmRunSummary {
  readonly api: 'completions' | 'chat';
  /** The prompt set, in one line (count, lengths, prefix, turns, seed). */
  readonly promptSet: string;
  /** Whether exactly max_tokens was asked for (vLLM's ignore_eos). */
  readonly ignoreEos: boolean;
  /** Completed requests checked against their max_tokens. */
  readonly outputLength: { readonly checked: number; readonly shorter: number; readonly longer: number; readonly requestedTokens: number };
  /** The client's counters over the measured window. */
  readonly client: OpenAiStats;
  /** The same run under the field names of vLLM's `bench serve` and GenAI-Perf (README "LLM metrics"). */
  readonly compatible: { readonly vllm: Readonly<Record<string, number | null>>; readonly genaiPerf: Readonly<Record<string, unknown>> };
}

export interface RunResult {
  readonly schemaVersion: string;
  readonly tool: { readonly name: 'mlbench'; readonly version: string };
  readonly runId: string;
  readonly startedAt: string;
  readonly status: RunStatus;
  /** Why the run was aborted or failed. */
  readonly statusReason: string | null;
  readonly workload: WorkloadDescription;
  readonly model: ModelDescription;
  readonly backend: BackendDescription;
  readonly system: SystemDescription;
  /** Peak resident memory of the mlbench process (schema 1.2): runtime, model and harness together. */
  readonly resources?: { readonly peakRssBytes: number };
  /** Settings as the user asked (files and flags), before defaults and derivation. */
  readonly requestedSettings: Readonly<Record<string, unknown>>;
  readonly effectiveSettings: TestSettings;
  /** How derived settings were chosen, e.g. "targetQps 420 from a 2 s calibration". */
  readonly notes: readonly string[];
  readonly summary: ScenarioSummary;
  /** Present for remote backends (schema 1.1). */
  readonly remote?: RemoteSummary;
  /** Runs against an OpenAI-compatible server (--backend openai). */
  readonly llm?: LlmRunSummary;
  /** Accuracy runs (schema 1.2): where every sample's output was written. */
  readonly outputs?: OutputsRecord | null;
  readonly validity: {
    readonly valid: boolean;
    readonly checks: readonly ValidityCheck[];
  };
}
