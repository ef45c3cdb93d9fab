import type { MainThreadStats } from '../../loadgen/main-thread-watch.js';
import { runCliJson } from './run-cli.js';

/** One fixed-rate Server run of the mlbench CLI against a server, reduced to what the search needs. */
export interface ProbeResult {
  readonly targetQps: number;
  readonly issueDelayP99Ns: number | null;
  readonly completedQps: number | null;
  readonly samplesFailed: number;
  readonly heldBackQueries: number;
  /** What took the client's main thread away during the window (null: not recorded). */
  readonly mainThread: MainThreadStats | null;
  /** Issue delay p99 within the limit, nothing failed or held back, and the rate kept up. */
  readonly ok: boolean;
}

export interface ProbeSetup {
  readonly backend: 'kserve-http' | 'kserve-grpc';
  readonly url: string;
  readonly model: string;
  readonly extraArgs: readonly string[];
  readonly durationMs: number;
  readonly issueDelayLimitNs: number;
  readonly output: string;
}

/** The completed rate must reach this share of the target: a client that falls behind is not keeping the rate. */
const KEEP_UP_SHARE = 0.98;

export async function probe(setup: ProbeSetup, targetQps: number): Promise<ProbeResult> {
  const result = await runCliJson([
    '--scenario', 'server',
    '--backend', setup.backend,
    '--url', setup.url,
    '--model', setup.model,
    '--target-qps', String(targetQps),
    // A loose bound: the bench judges the client's issue delay, not the server's latency.
    '--latency-bound-ms', '1000',
    '--min-duration-ms', String(setup.durationMs),
    '--max-duration-ms', String(setup.durationMs),
    '--min-query-count', '1',
    '--no-progress',
    '--output', setup.output,
    ...setup.extraArgs,
  ]);
  const s = result.summary;
  const issueDelayP99Ns = s.issueDelay?.percentilesNs['99'] ?? null;
  const heldBackQueries = result.remote?.heldBackQueries ?? 0;
  const ok =
    issueDelayP99Ns !== null &&
    issueDelayP99Ns <= setup.issueDelayLimitNs &&
    s.samplesFailed + s.samplesMissing === 0 &&
    heldBackQueries === 0 &&
    (s.completedSamplesPerSecond ?? 0) >= KEEP_UP_SHARE * targetQps;
  return { targetQps, issueDelayP99Ns, completedQps: s.completedSamplesPerSecond, samplesFailed: s.samplesFailed + s.samplesMissing, heldBackQueries, mainThread: s.mainThread ?? null, ok };
}

/** Doubles from `startQps` until a probe fails, then bisects `steps` times: the highest rate that passed. */
export async function highestPassingRate(setup: ProbeSetup, startQps: number, steps: number, maxQps: number): Promise<{ bestQps: number; probes: ProbeResult[] }> {
  const probes: ProbeResult[] = [];
  let low = 0;
  let high = Number.POSITIVE_INFINITY;
  let qps = startQps;
  while (high === Number.POSITIVE_INFINITY && qps <= maxQps) {
    const p = await probe(setup, qps);
    probes.push(p);
    if (p.ok) {
      low = qps;
      qps *= 2;
    } else {
      high = qps;
    }
  }
  if (high === Number.POSITIVE_INFINITY) return { bestQps: low, probes };
  for (let i = 0; i < steps && high - low > 1; i++) {
    const mid = Math.round((low + high) / 2);
    const p = await probe(setup, mid);
    probes.push(p);
    if (p.ok) low = mid;
    else high = mid;
  }
  return { bestQps: low, probes };
}
