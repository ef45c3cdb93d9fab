import type { RunResult } from '../results/types.js';

/**
 * Measures the report knows of but no run records yet. RunResult has no field for them, so no
 * input can carry them: the report lists them as not measured rather than draw anything. When a
 * result gains one, test for it here and add its chart builder beside the others.
 */
export const UNRECORDED_MEASURES = [
  { name: 'client/server time split', measuredBy: (_r: RunResult): boolean => false },
  { name: 'TTFT / TPOT (LLM time to first token, time per output token)', measuredBy: (_r: RunResult): boolean => false },
] as const;
