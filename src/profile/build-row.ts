import { join } from 'node:path';
import type { ScenarioName } from '../loadgen/types.js';
import type { RunResult } from '../results/types.js';
import type { AccuracyPass } from './accuracy-delta.js';
import type { ProfileRow, RowAccuracy, RuntimeVariant } from './types.js';
import { describeVariant, variantFlags } from './variants.js';

/** Child run folders live here, inside the profile folder. */
export const RUNS_DIR = 'runs';

/** One (runtime variant, precision) cell. */
export interface Cell {
  readonly variant: RuntimeVariant;
  readonly precision: string;
}

/** What the cell's accuracy pass gave, shared by its performance rows. */
export interface CellAccuracy {
  readonly accuracy: RowAccuracy | null;
  /** Why there are no accuracy numbers (the pass failed, or scored nothing). */
  readonly note: string | null;
  readonly resultDir: string | null;
}

/** A run's folder, relative to the profile folder. */
export const runDir = (result: RunResult): string => join(RUNS_DIR, result.runId);

/** The accuracy numbers of an accuracy pass's result.json. */
export function accuracyPassOf(result: RunResult): AccuracyPass {
  const accuracy = result.summary.accuracy;
  return {
    metric: accuracy?.metric ?? null,
    value: accuracy?.value ?? null,
    agreement: accuracy?.reference?.agreement ?? null,
    meanCosine: accuracy?.reference?.meanCosine ?? null,
  };
}

/** The runtime that actually ran: tfjs reports the TF.js runtime it picked, ort its provider. */
function runtimeOf(result: RunResult): string | null {
  const settings = result.backend.settings;
  const runtime = settings['runtime'] ?? settings['executionProvider'];
  return typeof runtime === 'string' ? runtime : null;
}

function base(cell: Cell, scenario: ScenarioName, accuracy: CellAccuracy) {
  return {
    backend: cell.variant.backend,
    variant: describeVariant(cell.variant),
    settings: variantFlags(cell.variant),
    precision: cell.precision,
    scenario,
    accuracy: accuracy.accuracy,
    accuracyNote: accuracy.note,
    accuracyResultDir: accuracy.resultDir,
  };
}

/** A performance run that completed (VALID or not). */
export function measuredRow(cell: Cell, scenario: ScenarioName, result: RunResult, accuracy: CellAccuracy): ProfileRow {
  const { metric } = result.summary;
  return {
    ...base(cell, scenario, accuracy),
    status: 'ok',
    reason: null,
    metric: { name: metric.name, value: metric.value, unit: metric.unit },
    valid: result.validity.valid,
    modelSizeBytes: result.model.sizeBytes,
    peakRssBytes: result.resources?.peakRssBytes ?? null,
    coldStartMs: result.backend.coldStartNs === null ? null : result.backend.coldStartNs / 1e6,
    runtime: runtimeOf(result),
    resultDir: runDir(result),
    calibration: result.workload.calibration ?? null,
  };
}

/** A performance scenario that did not run, or failed. */
export function unmeasuredRow(cell: Cell, scenario: ScenarioName, status: 'unsupported' | 'failed', reason: string, accuracy: CellAccuracy): ProfileRow {
  return {
    ...base(cell, scenario, accuracy),
    status,
    reason,
    metric: null,
    valid: null,
    modelSizeBytes: null,
    peakRssBytes: null,
    coldStartMs: null,
    runtime: null,
    resultDir: null,
    calibration: null,
  };
}
