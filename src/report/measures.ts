import type { RunResult } from '../results/types.js';

/**
 * Measures only some runs record: when no input has one, the report lists it as
 * not measured rather than draw an empty chart. When a result gains a new one, test for it here
 * and add its chart builder beside the others.
 */
export const UNRECORDED_MEASURES = [
  // Recorded by runs against a remote server (result.remote), drawn by charts/client-server-split.ts.
  { name: 'client/server time split', measuredBy: (r: RunResult): boolean => r.remote !== undefined },
  // Recorded by LLM runs (summary.tokens), drawn by charts/token-latency.ts.
  { name: 'TTFT / TPOT (LLM time to first token, time per output token)', measuredBy: (r: RunResult): boolean => r.summary.tokens !== undefined && r.summary.tokens !== null },
] as const;
