import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfileResult, ProfileRow } from '../../src/profile/types.js';
import type { RunResult } from '../../src/results/types.js';
import { baseline, writeJson } from '../fixtures/compare/inputs.js';
import { resultWith } from '../fixtures/result-fixture.js';

export const VARIANT = 'cpu, 2 threads, graph all, sequential';

/** One cell of a profile folder: its row, and the run it points at (none for unsupported rows). */
export interface Cell {
  readonly precision: string;
  /** Server throughput of the cell's run (samples/s); null: the row is unsupported. */
  readonly throughput: number | null;
  /** Write the row with its resultDir but leave result.json out (a moved or deleted run). */
  readonly deleteResult?: boolean;
}

/**
 * A profile folder as `mlbench profile` lays it out: profile.json plus runs/<runId>/result.json
 * for each ok row, every run the baseline Server fixture with the given throughput (so changes
 * are exact percents). Returns the folder.
 */
export function writeProfile(dir: string, profileId: string, hostname: string, cells: readonly Cell[]): string {
  const root = join(dir, profileId);
  mkdirSync(root, { recursive: true });
  const rows = cells.map((cell) => {
    if (cell.throughput === null) return row(cell.precision, null, null);
    const runId = `${profileId}-${cell.precision}`;
    const resultDir = join('runs', runId);
    if (cell.deleteResult !== true) {
      mkdirSync(join(root, resultDir), { recursive: true });
      writeJson(join(root, resultDir, 'result.json'), runOf(runId, hostname, cell.throughput));
    }
    return row(cell.precision, cell.throughput, resultDir);
  });
  writeJson(join(root, 'profile.json'), profileOf(profileId, hostname, rows));
  return root;
}

function runOf(runId: string, hostname: string, throughput: number): RunResult {
  return resultWith((r) => {
    Object.assign(r, structuredClone(baseline));
    r.runId = runId;
    r.system.hostname = hostname;
    r.summary.completedSamplesPerSecond = throughput;
    r.summary.metric.value = throughput;
    r.summary.goodputSamplesPerSecond = throughput;
  });
}

function row(precision: string, throughput: number | null, resultDir: string | null): ProfileRow {
  const ok = throughput !== null;
  return {
    backend: 'ort',
    variant: VARIANT,
    settings: { provider: 'cpu', 'intra-op-threads': 2 },
    precision,
    scenario: 'server',
    status: ok ? 'ok' : 'unsupported',
    reason: ok ? null : `no ${precision} model for this workload`,
    metric: ok ? { name: 'completed samples per second', value: throughput, unit: 'samples/s' } : null,
    valid: ok ? true : null,
    accuracy: null,
    accuracyNote: null,
    modelSizeBytes: null,
    peakRssBytes: null,
    coldStartMs: null,
    runtime: ok ? 'cpu' : null,
    resultDir,
    accuracyResultDir: null,
    calibration: null,
  };
}

function profileOf(profileId: string, hostname: string, rows: readonly ProfileRow[]): ProfileResult {
  return {
    schemaVersion: '1.2.0',
    kind: 'profile',
    tool: { name: 'mlbench', version: '0.1.0' },
    profileId,
    startedAt: '2026-11-24T09:00:00.000Z',
    status: 'completed',
    plan: {
      workload: { name: 'shapes-cnn', source: 'workloads/shapes-cnn/workload.json', accuracyMetric: null },
      precisions: [...new Set(rows.map((r) => r.precision))],
      backends: ['ort'],
      variants: [{ backend: 'ort', provider: 'cpu', threads: 2, graphOptimization: 'all', executionMode: 'sequential' }],
      scenarios: ['server'],
      profile: 'quick',
      sortBy: 'server',
      passThrough: {},
      repetitions: 1,
    },
    system: { ...baseline.system, hostname },
    rows,
    best: { server: null },
  };
}
