import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';
import type { Bench as TinyBench } from 'tinybench';
import { BatchingSut } from '../backends/batching-sut.js';
import { OrtBackend, type OrtOptions } from '../backends/ort-backend.js';
import { buildHistogram, encodeHistogram } from '../loadgen/histogram.js';
import { SampleIndexStream, selectSampleSet } from '../loadgen/plan.js';
import { RealClock } from '../loadgen/real-clock.js';
import { COMPLETED, type Recorder } from '../loadgen/recorder.js';
import { runTest } from '../loadgen/run-test.js';
import { OFFICIAL_SEEDS } from '../loadgen/settings.js';
import { resolveInputShapes } from '../workloads/input-shapes.js';
import { loadWorkloadFile, resolveWorkloadPath } from '../workloads/load-workload.js';
import { SampleLibrary } from '../workloads/sample-library.js';
import { type DelayPercentilesNs, percentilesOf } from './issue-floor.js';
import { benchSettings } from './null-run.js';
import { checkTarget, hrtimeNs, type Log, medianOf, silent, type TargetCheck } from './types.js';

export const OVERHEAD_TARGET_PERCENT = 3;

export interface OverheadOptions {
  /** Built-in workload name or path to a workload.json. */
  readonly workload: string;
  readonly rounds: number;
  /** Each side's share of a round. */
  readonly roundMs: number;
  /** Untimed bare inferences before the first round (JIT, onnxruntime's first-run work). */
  readonly warmupIterations: number;
  /**
   * onnxruntime intra-op threads for the session both sides run (0 = its default, one per core).
   * The bench uses 1: with the default pool, on a 2-vCPU VM, the same inference took 42 µs in
   * some processes and 87 µs in others, a lottery that swamps a few percent of harness cost.
   */
  readonly intraOpThreads: number;
}

type Side = 'bare' | 'mlbench';

export interface SideRound {
  readonly count: number;
  readonly wallNs: number;
  /** Inferences (bare) or queries (mlbench) per second of the round's wall time, gaps included. */
  readonly perSecond: number;
  readonly latencyNs: DelayPercentilesNs & { readonly min: number };
}

export interface OverheadRound {
  readonly round: number;
  readonly first: Side;
  readonly bare: SideRound & { readonly tinybenchP50Ns: number };
  readonly mlbench: SideRound & { readonly harnessP50Ns: number };
  readonly overheadPercent: number;
}

export interface OverheadResult {
  readonly options: OverheadOptions;
  readonly workload: { readonly name: string; readonly modelPath: string; readonly inputs: readonly string[]; readonly loadedSamples: number };
  readonly ort: { readonly version: string; readonly session: OrtOptions };
  /** How each side was timed. */
  readonly method: { readonly bare: string; readonly mlbench: string };
  readonly rounds: readonly OverheadRound[];
  /** Medians over every round's samples pooled, LoadGen's rule (sorted[floor(N/2)]). */
  readonly bareMedianNs: number;
  readonly mlbenchMedianNs: number;
  readonly overheadPercent: number;
  readonly medianRoundOverheadPercent: number;
  /** Pooled latencies of each side, HDR histograms (compressed base64, ns). */
  readonly histograms: { readonly bare: string; readonly mlbench: string };
  readonly targets: readonly TargetCheck[];
}

const require = createRequire(import.meta.url);

/**
 * SingleStream median latency through mlbench (OrtBackend + BatchingSut + runTest, as the CLI
 * builds it) against a bare `await session.run(feeds)` loop over the same pre-built tensors, in
 * alternating rounds so that machine noise falls on both. Both sides run the same session: with
 * two, each had its own intra-op thread pool, and which pool landed where differed by process.
 */
export async function runOverheadBench(options: OverheadOptions, log: Log = silent): Promise<OverheadResult> {
  const ort = require('onnxruntime-node') as typeof Ort;
  // A devDependency: loaded here so the other benches run without it.
  const { Bench } = await import('tinybench');
  const workload = loadWorkloadFile(resolveWorkloadPath(options.workload));
  const session: OrtOptions = {
    modelPath: workload.modelPath,
    provider: 'cpu',
    intraOpThreads: options.intraOpThreads,
    interOpThreads: 0,
    graphOptimization: 'all',
    executionMode: 'sequential',
    spinning: true,
  };
  const backend = await OrtBackend.create(session);
  const bareSession = backend.session;
  try {
    const { inputs } = resolveInputShapes(backend.inputs, backend.dynamicBatch, new Map());
    const newLibrary = (): SampleLibrary => new SampleLibrary(workload.name, workload.dataset, workload.performanceSampleCount, inputs);
    const psc = Math.min(workload.performanceSampleCount, workload.dataset.sampleCount);

    // The bare loop's inputs: the set and per-query order runTest draws, one tensor per sample
    // made as OrtBackend makes its batch-1 tensors.
    const set = selectSampleSet(workload.dataset.sampleCount, psc, OFFICIAL_SEEDS.sampleSet);
    const bareLibrary = newLibrary();
    await bareLibrary.loadSamples(Array.from(set));
    const tensors = new Map<number, Record<string, Ort.Tensor>>();
    for (const index of set) {
      const sample = bareLibrary.feeds(index);
      const feeds: Record<string, Ort.Tensor> = {};
      for (const input of inputs) {
        const t = sample[input.name]!;
        const dims = backend.dynamicBatch ? [1, ...t.dims] : [...t.dims];
        feeds[input.name] = new ort.Tensor(input.type as 'float32', t.data as Float32Array, dims);
      }
      tensors.set(index, feeds);
    }
    const stream = new SampleIndexStream(set, 1, OFFICIAL_SEEDS.sampleIndex);
    const sequence: Record<string, Ort.Tensor>[] = [];
    for (let i = 0; i < 1 << 16; i++) sequence.push(tensors.get(stream.next()[0]!)!);

    for (let i = 0; i < options.warmupIterations; i++) {
      await bareSession.run(sequence[i % sequence.length]!);
      await backend.infer([bareLibrary.feeds(set[i % set.length]!)]);
    }

    const rounds: OverheadRound[] = [];
    const pooled: Record<Side, number[]> = { bare: [], mlbench: [] };
    for (let r = 0; r < options.rounds; r++) {
      const first: Side = r % 2 === 0 ? 'bare' : 'mlbench';
      let bare: { round: OverheadRound['bare']; samples: Float64Array } | null = null;
      let ml: { round: OverheadRound['mlbench']; samples: Float64Array } | null = null;
      for (const side of first === 'bare' ? (['bare', 'mlbench'] as const) : (['mlbench', 'bare'] as const)) {
        if (side === 'bare') bare = await bareRound(Bench, bareSession, sequence, options.roundMs);
        else ml = await mlbenchRound(backend, newLibrary(), psc, options.roundMs);
      }
      if (bare === null || ml === null) throw new Error('overhead bench: a round did not run both sides');
      for (const v of bare.samples) pooled.bare.push(v);
      for (const v of ml.samples) pooled.mlbench.push(v);
      const overheadPercent = percentOver(ml.round.latencyNs.p50, bare.round.latencyNs.p50);
      rounds.push({ round: r + 1, first, bare: bare.round, mlbench: ml.round, overheadPercent });
      log(`overhead round ${r + 1}/${options.rounds}: bare median ${us(bare.round.latencyNs.p50)}, mlbench ${us(ml.round.latencyNs.p50)} (${overheadPercent.toFixed(2)}%)`);
    }
    const bareMedianNs = medianOf(pooled.bare);
    const mlbenchMedianNs = medianOf(pooled.mlbench);
    const overheadPercent = percentOver(mlbenchMedianNs, bareMedianNs);
    return {
      options,
      workload: { name: workload.name, modelPath: workload.modelPath, inputs: inputs.map((i) => `${i.name}[${i.shape.join('x')}] ${i.type}`), loadedSamples: set.length },
      ort: { version: ort.env.versions.node ?? 'unknown', session },
      method: {
        bare: 'tinybench 6 Task (timestampProvider hrtimeNow, retainSamples, no tinybench warmup): t0; await session.run(feeds); t1, feeds cycling through the SingleStream sample order',
        mlbench: 'runTest SingleStream (RealClock, warmup = one pass over the loaded set so every tensor is cached), BatchingSut max batch 1, OrtBackend; latency = completion - issue as recorded by mlbench',
      },
      rounds,
      bareMedianNs,
      mlbenchMedianNs,
      overheadPercent,
      medianRoundOverheadPercent: medianOf(rounds.map((r) => r.overheadPercent)),
      histograms: { bare: encodeHistogram(buildHistogram(Float64Array.from(pooled.bare))), mlbench: encodeHistogram(buildHistogram(Float64Array.from(pooled.mlbench))) },
      targets: [checkTarget('SingleStream median overhead vs bare session.run', overheadPercent, 'atMost', OVERHEAD_TARGET_PERCENT, '%')],
    };
  } finally {
    await backend.dispose();
  }
}

async function bareRound(
  Bench: typeof TinyBench,
  session: Ort.InferenceSession,
  sequence: readonly Record<string, Ort.Tensor>[],
  roundMs: number,
): Promise<{ round: OverheadRound['bare']; samples: Float64Array }> {
  const bench = new Bench({ time: roundMs, iterations: 1, warmup: false, retainSamples: true, timestampProvider: 'hrtimeNow', throws: true });
  let next = 0;
  bench.add(
    'bare session.run',
    async () => {
      await session.run(sequence[next++ % sequence.length]!);
    },
    { async: true },
  );
  const t0 = hrtimeNs();
  await bench.run();
  const wallNs = hrtimeNs() - t0;
  const result = bench.tasks[0]?.result;
  if (result === undefined || result.state !== 'completed' || result.latency.samples === undefined) {
    throw new Error(`overhead bench: the bare loop did not complete (${result?.state ?? 'no task'})`);
  }
  const samples = Float64Array.from(result.latency.samples, (ms) => ms * 1e6);
  return {
    round: { ...sideRound(samples, wallNs), tinybenchP50Ns: result.latency.p50 * 1e6 },
    samples,
  };
}

async function mlbenchRound(
  backend: OrtBackend,
  qsl: SampleLibrary,
  psc: number,
  roundMs: number,
): Promise<{ round: OverheadRound['mlbench']; samples: Float64Array }> {
  const clock = new RealClock();
  const sut = new BatchingSut(backend, (i) => qsl.feeds(i), clock, { maxBatchSize: 1, maxInFlight: 1, batchWindowNs: 0 });
  const settings = benchSettings({ scenario: 'singlestream', minDurationMs: roundMs, maxDurationMs: roundMs * 4, warmupQueryCount: psc });
  const t0 = hrtimeNs();
  const outcome = await runTest(sut, qsl, settings, { clock });
  const wallNs = hrtimeNs() - t0;
  const samples = queryLatencies(outcome.recorder);
  const last = outcome.recorder.queryCount - 1;
  const measuredNs = last > 0 ? outcome.recorder.queryIssuedNs.get(last) - outcome.startNs : wallNs;
  return {
    round: {
      ...sideRound(samples, measuredNs),
      harnessP50Ns: outcome.summary.sampleLatency?.percentilesNs['50'] ?? Number.NaN,
    },
    samples,
  };
}

/** SingleStream: one sample per query, latency from the query's issue. */
function queryLatencies(recorder: Recorder): Float64Array {
  const out = new Float64Array(recorder.queryCount);
  let k = 0;
  for (let q = 0; q < recorder.queryCount; q++) {
    const s = recorder.firstSampleOf(q);
    if (recorder.sampleStatus.get(s) === COMPLETED) out[k++] = recorder.sampleCompletedNs.get(s) - recorder.queryIssuedNs.get(q);
  }
  return out.subarray(0, k);
}

function sideRound(samples: Float64Array, wallNs: number): SideRound {
  const stats = percentilesOf(samples);
  let min = Number.POSITIVE_INFINITY;
  for (const v of samples) min = Math.min(min, v);
  return { count: samples.length, wallNs, perSecond: samples.length / (wallNs / 1e9), latencyNs: { ...stats, min } };
}

function percentOver(value: number, base: number): number {
  return ((value - base) / base) * 100;
}

function us(ns: number): string {
  return `${(ns / 1000).toFixed(1)} µs`;
}
