import type { ScenarioName, TestMode } from './types.js';

/**
 * RNG seeds, as decimal strings: LoadGen's official seeds exceed 2^53. Each seeds a
 * Mersenne Twister reduced mod 2^32, as std::mt19937 does.
 */
export interface Seeds {
  /** Which samples form the loaded performance set (LoadGen qsl_rng_seed). */
  readonly sampleSet: string;
  /** Which sample each query uses (LoadGen sample_index_rng_seed). */
  readonly sampleIndex: string;
  /** Server arrival times (LoadGen schedule_rng_seed). */
  readonly schedule: string;
}

/** The settings a run actually used, after defaults, files and flags are resolved. Frozen. */
export interface TestSettings {
  readonly scenario: ScenarioName;
  readonly mode: TestMode;
  /** Latency percentile the scenario is judged at, in percent (90 = p90). */
  readonly latencyPercentile: number;
  /** Server: the latency bound at `latencyPercentile`. Others: reported against, not judged. */
  readonly latencyBoundMs: number | null;
  readonly minDurationMs: number;
  /** Hard stop: a run never goes past this, whatever the minimums ask for. */
  readonly maxDurationMs: number;
  readonly minQueryCount: number;
  /** 0 = no limit. */
  readonly maxQueryCount: number;
  /** Server: Poisson arrival rate. */
  readonly targetQps: number | null;
  /** MultiStream: contiguous samples per query. */
  readonly samplesPerQuery: number;
  /** Offline: sizes the one query (1.1 x minDuration x expected QPS, at least minQueryCount). */
  readonly offlineExpectedQps: number | null;
  /** Samples loaded at once; 0 = the workload's own count. */
  readonly performanceSampleCount: number;
  readonly seeds: Seeds;
  /** Queries run before the measured window, not counted. */
  readonly warmupQueryCount: number;
  /** A sample not answered this long after its query was issued is reported missing. */
  readonly queryTimeoutMs: number;
  /** Early stopping confidence (LoadGen: 0.99). */
  readonly earlyStoppingConfidence: number;
  /**
   * LLM streams (LoadGen's use_token_latencies): TTFT, TPOT and ITL are measured, and Server
   * is judged on the TTFT and TPOT bounds instead of end-to-end latency. Set by the backend.
   */
  readonly tokenLatencies: boolean;
  /** Token runs: the bound on p99 time to first token. Server: judged; elsewhere: reported against. */
  readonly ttftBoundMs: number | null;
  /** Token runs: the bound on p99 time per output token. */
  readonly tpotBoundMs: number | null;
  /** MLPerf's Interactive: Server with tighter TTFT/TPOT bounds (a preset, not a scenario of its own). */
  readonly interactive: boolean;
}

/** Percentile of the token-latency bounds (MLPerf judges TTFT and TPOT at p99 in every LLM benchmark). */
export const TOKEN_LATENCY_PERCENTILE = 99;

/** LoadGen's official seeds (mlperf.conf, v6.x). */
export const OFFICIAL_SEEDS: Seeds = {
  sampleSet: '2085463073848966840',
  sampleIndex: '2747215439041700203',
  schedule: '16159082839903944936',
};

/** What a scenario file, a workload's defaults or the flags may set: any subset, in these units. */
export type SettingsOverrides = Partial<Omit<TestSettings, 'scenario' | 'mode' | 'earlyStoppingConfidence' | 'seeds' | 'tokenLatencies' | 'interactive'>> & {
  readonly seeds?: Partial<Seeds>;
};

/** Used where neither a scenario file, the workload nor a flag says otherwise. */
export const BUILTIN_DEFAULTS: Omit<TestSettings, 'scenario' | 'mode'> = {
  latencyPercentile: 90,
  latencyBoundMs: null,
  minDurationMs: 10_000,
  maxDurationMs: 60_000,
  minQueryCount: 100,
  maxQueryCount: 0,
  targetQps: null,
  samplesPerQuery: 8,
  offlineExpectedQps: null,
  performanceSampleCount: 0,
  seeds: OFFICIAL_SEEDS,
  warmupQueryCount: 50,
  queryTimeoutMs: 10_000,
  earlyStoppingConfidence: 0.99,
  tokenLatencies: false,
  ttftBoundMs: null,
  tpotBoundMs: null,
  interactive: false,
};
