import type { CellRunner, CellStep, ChildOutcome } from '../../src/profile/runner.js';
import type { AccuracyResult, RunResult } from '../../src/results/types.js';
import { BASE_SETTINGS } from '../helpers/fakes.js';

/** What a fake cell reports; everything else in its result.json is fixed. */
export interface FakeRun {
  readonly valid?: boolean;
  readonly metric?: { name: string; value: number | null; unit: string };
  readonly accuracy?: AccuracyResult | null;
  readonly outputsFile?: string | null;
  readonly runtime?: string;
  readonly coldStartNs?: number;
  readonly peakRssBytes?: number;
  readonly modelSizeBytes?: number;
  readonly calibration?: RunResult['workload']['calibration'];
}

const METRICS = {
  offline: { name: 'samples per second', unit: 'samples/s' },
  singlestream: { name: 'p90 sample latency (early-stopping estimate)', unit: 'ms' },
  server: { name: 'completed samples per second', unit: 'samples/s' },
  multistream: { name: 'p99 query latency (early-stopping estimate)', unit: 'ms' },
} as const;

/** `name` of a step: "ort fp16 accuracy", "tfjs fp32 offline". */
export const stepName = (step: CellStep): string => `${step.variant.backend} ${step.precision} ${step.mode === 'accuracy' ? 'accuracy' : step.scenario}`;

/** A result.json as `mlbench run --json` prints it, with the fields a profile reads set from `run`. */
export function fakeResult(step: CellStep, run: FakeRun, runId: string): RunResult {
  const valid = run.valid ?? true;
  return {
    schemaVersion: '1.2.0',
    tool: { name: 'mlbench', version: '0.1.0' },
    runId,
    startedAt: '2026-01-01T00:00:00.000Z',
    status: 'completed',
    statusReason: null,
    workload: { name: 'shapes-cnn', source: 'workload.json', precision: step.precision, calibration: run.calibration ?? null },
    model: { path: `/models/${step.precision}.onnx`, sha256: null, sizeBytes: run.modelSizeBytes ?? 28_000, inputs: [], assumptions: [] },
    backend: {
      name: step.variant.backend,
      versions: {},
      settings: step.variant.backend === 'ort' ? { executionProvider: run.runtime ?? 'cpu' } : { runtime: run.runtime ?? 'wasm', threads: 2 },
      coldStartNs: run.coldStartNs ?? 12_500_000,
    },
    system: { hostname: 'test', os: { platform: 'linux', release: '6', arch: 'x64' }, cpu: { model: 'cpu', cores: 2, flags: [] }, memoryBytes: 1, node: 'v20', gpus: [], gpuNote: null },
    resources: { peakRssBytes: run.peakRssBytes ?? 150_000_000 },
    requestedSettings: {},
    effectiveSettings: { ...BASE_SETTINGS, scenario: step.scenario, mode: step.mode },
    notes: [],
    summary: {
      scenario: step.scenario,
      mode: step.mode,
      metric: run.metric ?? { ...METRICS[step.scenario], value: 1 },
      durationNs: 1e9,
      queriesIssued: 1,
      samplesIssued: 1,
      samplesCompleted: 1,
      samplesFailed: 0,
      samplesMissing: 0,
      errors: [],
      completedSamplesPerSecond: null,
      scheduledSamplesPerSecond: null,
      goodputSamplesPerSecond: null,
      sampleLatency: null,
      queryLatency: null,
      issueDelay: null,
      loadgenBottleneck: false,
      earlyStopping: null,
      warmup: { queryCount: 0, firstQueryLatencyNs: null },
      accuracy: run.accuracy ?? null,
    },
    outputs: run.outputsFile == null ? null : { file: run.outputsFile, rows: 1024, rowWidth: 10, output: 'logits' },
    validity: { valid, checks: [] },
  };
}

/** A child outcome: a run that completed (exit 0 VALID, 3 INVALID). */
export function ran(step: CellStep, run: FakeRun, runId: string): ChildOutcome {
  return { exitCode: run.valid === false ? 3 : 0, signal: null, stdout: JSON.stringify(fakeResult(step, run, runId)), stderr: 'summary...\n' };
}

export const exited = (exitCode: number, stderr: string, stdout = ''): ChildOutcome => ({ exitCode, signal: null, stdout, stderr });

/** Answers each step from `script` and records the steps in the order they came. */
export class FakeRunner implements CellRunner {
  readonly steps: CellStep[] = [];
  constructor(private readonly script: (step: CellStep, runId: string) => ChildOutcome) {}

  async run(step: CellStep): Promise<ChildOutcome> {
    this.steps.push(step);
    const name = stepName(step).replaceAll(' ', '-');
    return this.script(step, `2026-${String(this.steps.length).padStart(2, '0')}-${name}`);
  }
}

/** A top-1 accuracy result of `right` of 1024 samples, with agreement when a reference was given. */
export function top1(right: number, reference?: { agreement: number; meanCosine: number }): AccuracyResult {
  return { metric: 'top1', value: right / 1024, target: 0.9, passed: right / 1024 >= 0.9, sampleCount: 1024, ...(reference ? { reference: { file: '/ref/outputs.bin', ...reference } } : {}) };
}
