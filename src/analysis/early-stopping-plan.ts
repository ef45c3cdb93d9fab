/**
 * Planning answers for `mlbench early-stopping`: how many queries a run needs, and what a run of
 * a given size can show. Percentile and confidence are in percent here (99, 99.9), as users
 * write them; src/loadgen works in fractions.
 */
import {
  maxOverLatency,
  minQueriesForEstimate,
  minUnderLatencyQueries,
} from '../loadgen/early-stopping.js';
import { percentileIndex } from '../loadgen/percentiles.js';

export const DEFAULT_CONFIDENCE_PERCENT = 99;

export interface MinQueriesPlan {
  /** Percent, e.g. 99. */
  readonly percentile: number;
  /** Percent, e.g. 99. */
  readonly confidence: number;
  /** t: queries over the latency bound. */
  readonly overLatency: number;
  /** h_min(t): queries under the bound needed alongside them. */
  readonly underLatencyNeeded: number;
  /** h_min(t) + t. */
  readonly minQueries: number;
  /** h_min(t + 1) + t + 1: what one more over-latency query would require. */
  readonly minQueriesWithOneMoreOver: number;
}

export interface MaxOverLatencyPlan {
  readonly percentile: number;
  readonly confidence: number;
  readonly queries: number;
  /** Largest t with queries >= h_min(t) + t; null when even t = 0 needs more queries. */
  readonly maxOverLatency: number | null;
  /** h_min(0): the fewest queries any run can pass with (none over the bound). */
  readonly minQueriesZeroOver: number;
  /** h_min(1) + 1: the fewest queries for a SingleStream/MultiStream estimate. */
  readonly minQueriesForEstimate: number;
  /** The SingleStream/MultiStream estimate's place in the sorted latencies; null below that. */
  readonly estimate: {
    /** 0-based index in ascending order: queries - t. */
    readonly index: number;
    /** 1-based rank in ascending order: queries - t + 1. */
    readonly rank: number;
    /** The t - 1 highest latencies LoadGen discards. */
    readonly discarded: number;
    /** The plain percentile reading the same index (LoadGen's floor(N p) rule): 100 index / N. */
    readonly equivalentPercentile: number;
  } | null;
}

/** Queries a run needs to pass early stopping with `overLatency` queries over the bound. */
export function planMinQueries(input: {
  percentile: number;
  overLatency: number;
  confidence?: number;
}): MinQueriesPlan {
  const confidence = input.confidence ?? DEFAULT_CONFIDENCE_PERCENT;
  const { percentile, overLatency } = input;
  throwIfInvalid([
    ...percentProblems('percentile', percentile),
    ...confidenceProblems(confidence),
    ...countProblems('overLatency', overLatency),
  ]);
  const p = toFraction(percentile);
  const c = toFraction(confidence);
  const underLatencyNeeded = minUnderLatencyQueries(overLatency, p, c);
  return {
    percentile,
    confidence,
    overLatency,
    underLatencyNeeded,
    minQueries: underLatencyNeeded + overLatency,
    minQueriesWithOneMoreOver: minUnderLatencyQueries(overLatency + 1, p, c) + overLatency + 1,
  };
}

/** What a run of `queries` queries can show: its over-latency allowance and estimate rank. */
export function planMaxOverLatency(input: {
  percentile: number;
  queries: number;
  confidence?: number;
}): MaxOverLatencyPlan {
  const confidence = input.confidence ?? DEFAULT_CONFIDENCE_PERCENT;
  const { percentile, queries } = input;
  throwIfInvalid([
    ...percentProblems('percentile', percentile),
    ...confidenceProblems(confidence),
    ...countProblems('queries', queries),
  ]);
  const p = toFraction(percentile);
  const c = toFraction(confidence);
  const minQueriesZeroOver = minUnderLatencyQueries(0, p, c);
  const estimateMin = minQueriesForEstimate(p, c);
  const common = { percentile, confidence, queries, minQueriesZeroOver };
  if (queries < minQueriesZeroOver) {
    return { ...common, maxOverLatency: null, minQueriesForEstimate: estimateMin, estimate: null };
  }
  if (queries < estimateMin) {
    return { ...common, maxOverLatency: 0, minQueriesForEstimate: estimateMin, estimate: null };
  }
  const t = maxOverLatency(queries, p, c);
  const index = queries - t;
  return {
    ...common,
    maxOverLatency: t,
    minQueriesForEstimate: estimateMin,
    estimate: {
      index,
      rank: index + 1,
      discarded: t - 1,
      equivalentPercentile: (100 * index) / queries,
    },
  };
}

export function formatMinQueriesPlan(plan: MinQueriesPlan): string {
  const { overLatency: t, minQueries, underLatencyNeeded } = plan;
  return [
    `${heading(plan)}, ${plural(t, 'query', 'queries')} over the latency bound:`,
    `  A run needs at least ${minQueries} queries: ${underLatencyNeeded} under the bound ` +
      `plus the ${t} over it.`,
    `  A Server run of ${minQueries} or more queries passes early stopping if no more than ` +
      `${t} of them exceed the bound.`,
    `  Each further over-latency query raises the minimum: ${t + 1} over needs ` +
      `${plan.minQueriesWithOneMoreOver} queries.`,
  ].join('\n');
}

export function formatMaxOverLatencyPlan(plan: MaxOverLatencyPlan): string {
  const lines = [`${heading(plan)}, a run of ${plan.queries} queries:`];
  const t = plan.maxOverLatency;
  if (t === null) {
    lines.push(
      `  Too few queries to pass early stopping at all: even with none over the latency bound ` +
        `a run needs ${plan.minQueriesZeroOver} (${plan.minQueriesZeroOver - plan.queries} more).`,
    );
  } else if (t === 0) {
    lines.push(`  Server: passes early stopping only if no query exceeds the latency bound.`);
  } else {
    lines.push(
      `  Server: passes early stopping with up to ${plural(t, 'query', 'queries')} over the ` +
        `latency bound.`,
    );
  }
  const estimate = plan.estimate;
  if (estimate === null) {
    lines.push(
      `  SingleStream/MultiStream: no early-stopping estimate below ` +
        `${plan.minQueriesForEstimate} queries (${plan.minQueriesForEstimate - plan.queries} more).`,
    );
  } else {
    lines.push(
      `  SingleStream/MultiStream: the early-stopping estimate is the latency ranked ` +
        `${estimate.rank} of ${plan.queries} from the lowest (index ${estimate.index}), so the ` +
        `${plural(estimate.discarded, 'highest latency is', 'highest latencies are')} discarded;`,
      `  that is the plain ${percentText(estimate.equivalentPercentile)}th percentile of the run, ` +
        `where the plain p${percentText(plan.percentile)} would read index ` +
        `${percentileIndex(plan.queries, toFraction(plan.percentile))}.`,
    );
  }
  return lines.join('\n');
}

function heading(plan: { percentile: number; confidence: number }): string {
  return `Early stopping for p${percentText(plan.percentile)} at ${percentText(plan.confidence)}% confidence`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Up to 4 decimals, no float noise: 99.9 stays "99.9", 95.12345 becomes "95.1235". */
function percentText(percent: number): string {
  return String(Number(percent.toFixed(4)));
}

/** The double nearest the decimal fraction the user meant: 99.9 -> 0.999, not 0.9990000000000001. */
function toFraction(percent: number): number {
  return Number((percent / 100).toPrecision(15));
}

function percentProblems(name: string, value: number): string[] {
  return value > 0 && value < 100
    ? []
    : [`${name} must be a percentage strictly between 0 and 100 (e.g. 99), got ${value}`];
}

/** Below 50% the criterion is meaningless; 0.99 here is almost surely a fraction meant as 99. */
function confidenceProblems(value: number): string[] {
  return value >= 50 && value < 100
    ? []
    : [`confidence is a percentage in [50, 100) (e.g. 99, not 0.99), got ${value}`];
}

function countProblems(name: string, value: number): string[] {
  return Number.isSafeInteger(value) && value >= 0
    ? []
    : [`${name} must be a non-negative integer, got ${value}`];
}

/** Reports every problem at once. */
function throwIfInvalid(problems: string[]): void {
  if (problems.length > 0) throw new RangeError(problems.join('; '));
}
