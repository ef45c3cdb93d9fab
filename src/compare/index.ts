import { EXIT } from '../cli/errors.js';

/** `mlbench compare`: results and sweeps side by side, and regression gates. */

/** The exit code when a --fail-if gate trips. */
export const GATE_FAILED_EXIT = EXIT.gateFailed;

export { changePercent, formatChange } from './change.js';
export { buildComparison } from './compare.js';
export { findInputFiles } from './find-inputs.js';
export { formatGates } from './format-gates.js';
export { formatComparison } from './format-table.js';
export { checkGate, checkGates, type GateCheck, type GateOutcome } from './gate-check.js';
export { GATE_FORMS, type Gate, parseGate } from './gate-parse.js';
export { loadInput, parseInput } from './load-input.js';
export { METRIC_INFO } from './metric-info.js';
export { comparisonJson } from './to-json.js';
export { type CompareRow, type Comparison, type LoadedInput, METRIC_NAMES, type MetricName, TOKEN_METRIC_NAMES } from './types.js';
