import type { ProfileResult } from '../profile/types.js';
import type { RunResult } from '../results/types.js';
import type { SweepResult } from '../sweep/types.js';

/** Which profile row a result came from: it labels the row and matches it across profiles. */
export interface ProfileRowRef {
  readonly profileId: string;
  readonly precision: string;
  readonly backend: string;
  readonly variant: string;
  readonly scenario: string;
}

export interface ResultInput {
  readonly kind: 'result';
  readonly file: string;
  readonly result: RunResult;
  /** Set when the result is a row of a profile.json input. */
  readonly profileRow?: ProfileRowRef;
}

export interface SweepInput {
  readonly kind: 'sweep';
  readonly file: string;
  readonly sweep: SweepResult;
}

/** One input that has headline numbers of its own: a table row. */
export type MeasuredInput = ResultInput | SweepInput;

/** A profile.json: one result input per row that has a result, and why the other rows have none. */
export interface ProfileInput {
  readonly kind: 'profile';
  readonly file: string;
  readonly profile: ProfileResult;
  readonly rows: readonly ResultInput[];
  readonly notes: readonly string[];
}

/** What `mlbench compare` reads: one parsed and checked input file. */
export type LoadedInput = MeasuredInput | ProfileInput;

/** The headline metrics a gate can name, in the order the table shows them. */
export const METRIC_NAMES = [
  'throughput',
  'goodput',
  // LLM runs (summary.tokens): output tokens/s, and requests/s within every token bound.
  'tokens',
  'token-goodput',
  'p50',
  'p90',
  'p99',
  'p99.9',
  // LLM runs: time to first token, time per output token, inter-token latency (ms).
  'ttft-p50',
  'ttft-p99',
  'tpot-p50',
  'tpot-p99',
  'itl-p99',
  'metric',
  'accuracy',
  // Runs against a remote server: means per request, from result.remote.
  'server-queue',
  'server-compute',
  'network',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** The metrics only LLM runs (summary.tokens) have. */
export const TOKEN_METRIC_NAMES = ['tokens', 'token-goodput', 'ttft-p50', 'ttft-p99', 'tpot-p50', 'tpot-p99', 'itl-p99'] as const satisfies readonly MetricName[];
export type TokenMetricName = (typeof TOKEN_METRIC_NAMES)[number];

/** Which way is an improvement: decides what a change means, not how it is computed. */
export type Better = 'higher' | 'lower';

/** One field that says what was measured (system, backend, settings): null = not recorded. */
export interface IdentityField {
  readonly key: string;
  readonly value: string | null;
}

/** The headline numbers of one input, each null when that input did not measure it. */
export interface HeadlineMetrics {
  /** throughput, goodput, tokens, token-goodput in per-second units; latencies in ms; accuracy as a fraction. */
  readonly values: Readonly<Record<MetricName, number | null>>;
  /** The scenario metric's own name and unit (LoadGen's), e.g. "ms" or "samples/s". */
  readonly metric: { readonly name: string; readonly unit: string };
  /** How `throughput` was derived for this input, in words. */
  readonly throughputBasis: string;
  /** The run's VALID verdict; a sweep's peak confirmation verdict; null when there is none. */
  readonly valid: boolean | null;
}

/** One input of the comparison, with its changes against the baseline (the first input). */
export interface CompareRow {
  readonly label: string;
  readonly file: string;
  readonly kind: MeasuredInput['kind'];
  /** Index in `rows` of the row the changes are against; null for a baseline row. */
  readonly baseline: number | null;
  readonly identity: readonly IdentityField[];
  readonly headline: HeadlineMetrics;
  /** Percent change against the baseline; null for the baseline itself or when either side is missing. */
  readonly changePercent: Readonly<Record<MetricName, number | null>>;
}

export interface Comparison {
  /** Identity fields equal across every input, shown once above the table. */
  readonly same: readonly IdentityField[];
  /** Keys of the identity fields that differ: the table's grouping columns. */
  readonly varies: readonly string[];
  /** rows[0] is the baseline; a profile row's baseline is the matching row of an earlier profile. */
  readonly rows: readonly CompareRow[];
  /** Profile rows that have no result to show, and why. */
  readonly notes: readonly string[];
}
