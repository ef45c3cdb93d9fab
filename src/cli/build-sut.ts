import { existsSync } from 'node:fs';
import { BatchingSut } from '../backends/batching-sut.js';
import { NullSut } from '../backends/null-sut.js';
import { OrtBackend } from '../backends/ort-backend.js';
import { TfjsBackend } from '../backends/tfjs-backend.js';
import type { InferenceBackend } from '../backends/types.js';
import type { TestSettings } from '../loadgen/settings.js';
import type { Clock, QuerySampleLibrary, SystemUnderTest } from '../loadgen/types.js';
import type { RemoteBackend } from '../remote/types.js';
import type { BackendDescription, ModelDescription, RemoteSummary } from '../results/types.js';
import { firstOutputRow } from '../workloads/accuracy.js';
import { parseShapeFlags, resolveInputShapes } from '../workloads/input-shapes.js';
import { assertModelExists } from '../workloads/load-workload.js';
import { SampleLibrary } from '../workloads/sample-library.js';
import type { WorkloadDefinition } from '../workloads/types.js';
import { UserError } from './errors.js';
import { modelFileFacts } from './model-file-facts.js';
import type { RunFlags } from './run-flags.js';

/** Everything a run needs from its backend side. */
export interface SutBundle {
  readonly sut: SystemUnderTest;
  readonly qsl: QuerySampleLibrary;
  readonly backend: BackendDescription;
  readonly model: ModelDescription;
  /** Ground truth for accuracy, when the dataset has labels. */
  readonly label: ((index: number) => number | null) | null;
  /** Called when the measured phase starts (the null backend's block counts from there). */
  readonly onMeasuredStart: () => void;
  /** Switches accuracy post-processing on. */
  readonly keepOutputs: (on: boolean) => void;
  readonly batchSizes: () => Record<string, number>;
  /** Remote backends: queries the client's outstanding cap held back in the measured window. */
  readonly heldBackQueries: (() => number) | null;
  /** Remote backends: the client/server timing split and failures by kind. */
  readonly remote: (() => RemoteSummary) | null;
  dispose(): Promise<void>;
}

/** Offline samples per call for a local runtime; a remote server forms its own batches. */
const DEFAULT_OFFLINE_BATCH = 32;

/** Where the model a bundle runs lives: a local file, or a model on a server. */
export interface ModelOrigin {
  readonly file: { readonly path: string; readonly sha256: string; readonly sizeBytes: number } | null;
  readonly notes: readonly string[];
  /** Backend calls in flight at once. */
  readonly maxInFlight: number;
  readonly remote: RemoteBackend | null;
}

/** A sample library with nothing to load: what the null backend serves. */
class SyntheticLibrary implements QuerySampleLibrary {
  constructor(
    readonly name: string,
    readonly totalSampleCount: number,
    readonly performanceSampleCount: number,
  ) {}
  async loadSamples(): Promise<void> {}
  async unloadSamples(): Promise<void> {}
}

/** A local backend (ort, tfjs, null) for the workload. Remote backends: see build-remote.ts. */
export async function buildSut(flags: RunFlags, workload: WorkloadDefinition, settings: TestSettings, clock: Clock): Promise<SutBundle> {
  if (flags.backend === 'null') return buildNull(flags, workload, clock);
  if (flags.backend !== 'ort' && flags.backend !== 'tfjs') throw new Error(`buildSut: ${flags.backend} is a remote backend (see build-remote.ts)`);
  const modelPath = flags.backend === 'tfjs' ? tfjsModelPath(workload) : onnxModelPath(workload);
  const { backend, notes } = flags.backend === 'tfjs' ? await createTfjs(flags, modelPath) : { backend: await createOrt(flags, modelPath), notes: [] };
  try {
    const origin = { file: await modelFileFacts(modelPath), notes, maxInFlight: Math.max(1, Math.floor(flags.concurrency)), remote: null };
    return wrapBackend(backend, flags, workload, settings, clock, origin);
  } catch (error) {
    await backend.dispose();
    throw error;
  }
}

function createOrt(flags: RunFlags, modelPath: string): Promise<OrtBackend> {
  return OrtBackend.create({
    modelPath,
    provider: flags.provider,
    intraOpThreads: flags['intra-op-threads'],
    interOpThreads: flags['inter-op-threads'],
    spinning: flags['ort-spinning'],
    graphOptimization: flags['graph-optimization'],
    executionMode: flags['execution-mode'],
  });
}

async function createTfjs(flags: RunFlags, modelPath: string): Promise<{ backend: TfjsBackend; notes: readonly string[] }> {
  const threads = flags['tfjs-threads'];
  if (!Number.isInteger(threads) || threads < 0) throw new UserError('flag', `--tfjs-threads ${threads}: must be a whole number, 0 for the runtime's default`);
  const backend = await TfjsBackend.create({ modelPath, runtime: flags['tfjs-backend'], threads });
  return { backend, notes: backend.notes };
}

function onnxModelPath(workload: WorkloadDefinition): string {
  assertModelExists(workload);
  if (/\.json$/i.test(workload.modelPath)) {
    throw new UserError('flag', `${workload.modelPath}: a TF.js model.json; run it with --backend tfjs (onnxruntime takes .onnx files)`);
  }
  return workload.modelPath;
}

/** The workload's TF.js model of the chosen precision, or why there is none. */
function tfjsModelPath(workload: WorkloadDefinition): string {
  const path = workload.tfjsModelPath;
  if (path === null) {
    const which = workload.precision === null ? `--model ${workload.modelPath} is not a TF.js model.json` : `workload ${workload.name} has no TF.js model for precision ${workload.precision}`;
    const offered = Object.entries(workload.variants)
      .filter(([, v]) => v.tfjsPath !== null)
      .map(([name]) => name);
    const hint = offered.length > 0 ? ` (TF.js models: ${offered.join(', ')})` : workload.precision === null ? '' : ' (it names none: add "tfjs" beside the model path in the workload file)';
    throw new UserError('workload', `--backend tfjs: ${which}${hint}`);
  }
  if (!existsSync(path)) throw new UserError('model', `${workload.source}: TF.js model ${path} not found`);
  return path;
}

/** Puts a backend behind the batching SUT, with the workload's samples. */
export function wrapBackend(
  backend: InferenceBackend,
  flags: RunFlags,
  workload: WorkloadDefinition,
  settings: TestSettings,
  clock: Clock,
  origin: ModelOrigin,
): SutBundle {
  const { inputs, assumptions } = resolveInputShapes(backend.inputs, backend.dynamicBatch, parseShapeFlags(flags.shape));
  const qsl = new SampleLibrary(workload.name, workload.dataset, workload.performanceSampleCount, inputs);
  const maxBatchSize = !backend.dynamicBatch
    ? 1
    : settings.scenario === 'offline'
      ? (flags['batch-size'] ?? (origin.remote ? 1 : DEFAULT_OFFLINE_BATCH))
      : settings.scenario === 'multistream'
        ? settings.samplesPerQuery
        : settings.scenario === 'server'
          ? flags['max-batch']
          : 1;
  const batching = {
    maxBatchSize: Math.max(1, Math.floor(maxBatchSize)),
    maxInFlight: origin.maxInFlight,
    batchWindowNs: Math.max(0, flags['batch-window-ms'] * 1e6),
  };
  const sut = new BatchingSut(backend, (i) => qsl.feeds(i), clock, batching);
  const { remote } = origin;
  return {
    sut,
    qsl,
    backend: { ...backend.description, settings: { ...backend.description.settings, ...batching } },
    model: {
      path: origin.file?.path ?? null,
      sha256: origin.file?.sha256 ?? null,
      sizeBytes: origin.file?.sizeBytes ?? null,
      inputs: inputs.map((i) => ({ name: i.name, type: i.type, declaredShape: [...i.declaredShape], shape: [...i.shape] })),
      assumptions: [...origin.notes, ...assumptions],
    },
    label: workload.dataset.kind === 'generated' ? (i) => qsl.label(i) : null,
    // The result reports the batches the measured window formed, not warmup's or calibration's.
    onMeasuredStart: () => {
      sut.resetBatchSizes();
      remote?.resetStats();
    },
    keepOutputs: (on) => sut.setPostprocess(on ? firstOutputRow : null),
    batchSizes: () => Object.fromEntries([...sut.batchSizes().entries()].map(([k, v]) => [String(k), v])),
    heldBackQueries: remote ? () => sut.heldBackQueries() : null,
    remote: remote ? () => ({ ...remote.stats(), maxOutstanding: batching.maxInFlight, heldBackQueries: sut.heldBackQueries() }) : null,
    dispose: () => backend.dispose(),
  };
}

function buildNull(flags: RunFlags, workload: WorkloadDefinition, clock: Clock): SutBundle {
  const block = flags['block-ms'] !== undefined ? { durationNs: flags['block-ms'] * 1e6, atNs: flags['block-at-ms'] * 1e6 } : null;
  const options = {
    serviceTimeNs: Math.round(flags['service-time-ms'] * 1e6),
    distribution: flags['service-time-distribution'],
    concurrency: flags['null-concurrency'],
    seed: '1',
    block,
  };
  const sut = new NullSut(clock, options);
  return {
    sut,
    qsl: new SyntheticLibrary(workload.name, workload.dataset.sampleCount, workload.performanceSampleCount),
    backend: {
      name: 'null',
      versions: {},
      settings: { serviceTimeMs: flags['service-time-ms'], distribution: options.distribution, concurrency: options.concurrency, block },
      coldStartNs: null,
    },
    model: { path: null, sha256: null, sizeBytes: null, inputs: [], assumptions: ['null backend: no model is run'] },
    label: null,
    onMeasuredStart: () => sut.markMeasuredStart(),
    keepOutputs: () => {},
    batchSizes: () => ({}),
    heldBackQueries: null,
    remote: null,
    dispose: async () => {},
  };
}
