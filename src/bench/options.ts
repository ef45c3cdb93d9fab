import { UserError } from '../cli/errors.js';
import type { OverheadOptions } from './harness-overhead.js';
import type { LlmBenchOptions } from './llm/llm-batching.js';
import type { MemoryOptions } from './memory.js';
import type { OfflineOptions } from './offline-throughput.js';
import type { PrecisionOptions } from './precision/precision-throughput.js';
import type { ClientOptions } from './remote/client-throughput.js';
import type { ServeOptions } from './remote/serve-throughput.js';
import type { ServerOptions } from './server-issue-delay.js';
import { BENCH_NAMES, type BenchName } from './types.js';

export interface BenchOptions {
  readonly offline: OfflineOptions;
  readonly server: ServerOptions;
  readonly overhead: OverheadOptions;
  readonly memory: MemoryOptions;
  readonly client: ClientOptions;
  readonly serve: ServeOptions;
  readonly precision: PrecisionOptions;
  readonly llm: LlmBenchOptions;
}

/** The built-in workloads' variants, fp32 (the reference) first. */
const PRECISIONS = ['fp32', 'fp16', 'int8-dynamic', 'int8-static'];

/** Single-sample requests (the batcher's hardest case), then 8-sample ones with one instance and with two. */
const SERVE_SERIES = [
  { requestSize: 1, instances: 1 },
  { requestSize: 8, instances: 1 },
  { requestSize: 8, instances: 2 },
];

/** Sizes for the default run (a few minutes on 2 cores) and for --quick (a smoke test). */
export function benchOptions(quick: boolean, soakSeconds: number): BenchOptions {
  return {
    offline: quick ? { sampleCount: 500_000, repetitions: 2 } : { sampleCount: 5_000_000, repetitions: 3 },
    server: quick
      ? { targetQps: 10_000, durationMs: 2000, search: { startQps: 5000, probeDurationMs: 1000, maxBisections: 2, maxQps: 640_000 } }
      : { targetQps: 10_000, durationMs: 10_000, search: { startQps: 5000, probeDurationMs: 5000, maxBisections: 4, maxQps: 2_560_000 } },
    overhead: quick
      ? { workload: 'shapes-cnn', rounds: 2, roundMs: 500, warmupIterations: 50, intraOpThreads: 1 }
      : { workload: 'shapes-cnn', rounds: 6, roundMs: 3000, warmupIterations: 500, intraOpThreads: 1 },
    memory: quick
      ? { queryCounts: [20_000, 100_000], virtualQps: 100_000, soakSeconds, soakQps: 1000, soakIn: 'child' }
      : { queryCounts: [200_000, 1_000_000], virtualQps: 100_000, soakSeconds, soakQps: 1000, soakIn: 'child' },
    client: quick
      ? { toolSeconds: 2, toolConnections: [16], probeMs: 2000, bisections: 1, startQps: 1000, maxQps: 64_000, connections: 64 }
      : { toolSeconds: 5, toolConnections: [8, 32, 64], probeMs: 5000, bisections: 4, startQps: 1000, maxQps: 128_000, connections: 128 },
    serve: quick
      ? { durationMs: 2000, repetitions: 1, maxBatch: 32, batchWindowMs: 2, outstanding: 64, series: SERVE_SERIES }
      : { durationMs: 6000, repetitions: 3, maxBatch: 32, batchWindowMs: 2, outstanding: 64, series: SERVE_SERIES },
    precision: quick
      ? { workloads: ['shapes-cnn'], precisions: PRECISIONS, threads: [1], repetitions: 1, durationMs: 2000, timeProfile: false }
      : { workloads: ['shapes-cnn', 'tokens-transformer'], precisions: PRECISIONS, threads: [0], repetitions: 3, durationMs: 5000, timeProfile: true },
    // Offline offers the whole llm-mixed prompt set (256) at once; Server runs at 60% of static's Offline rate.
    llm: quick
      ? { repetitions: 1, maxBatch: 8, offlineSamples: 64, serverDurationMs: 4000, serverLoadShare: 0.6, ttftBoundMs: 2000, tpotBoundMs: 200 }
      : { repetitions: 3, maxBatch: 8, offlineSamples: 256, serverDurationMs: 8000, serverLoadShare: 0.6, ttftBoundMs: 2000, tpotBoundMs: 200 },
  };
}

/** `--only offline,server`: every unknown name is reported at once; order is always the suite's. */
export function parseOnly(value: string | undefined): BenchName[] {
  if (value === undefined || value.trim() === '') return [...BENCH_NAMES];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !(BENCH_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new UserError('flag', `--only: unknown bench ${unknown.join(', ')} (choose from ${BENCH_NAMES.join(', ')})`);
  return BENCH_NAMES.filter((n) => names.includes(n));
}
