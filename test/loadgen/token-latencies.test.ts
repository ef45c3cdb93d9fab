import { describe, expect, it } from 'vitest';
import { minQueriesForEstimate } from '../../src/loadgen/early-stopping.js';
import { runTest } from '../../src/loadgen/run-test.js';
import { VirtualClock } from '../../src/loadgen/virtual-clock.js';
import { StreamingSut, type StreamScript } from '../helpers/fake-streams.js';
import { FakeLibrary, settings } from '../helpers/fakes.js';

const MS = 1_000_000;
/** First token at 50 ms, then 9 more 10 ms apart: e2e 140 ms, TPOT (140 - 50) / 9 = 10 ms. */
const STEADY: StreamScript = { firstNs: 50 * MS, intervalNs: 10 * MS, tokens: 10 };
const tokenSettings = { tokenLatencies: true, ttftBoundMs: 2000, tpotBoundMs: 200 } as const;

describe('token latencies on streams with known timing (virtual clock, exact)', () => {
  it('SingleStream: TTFT, TPOT, ITL and per-request token rate are exactly the script', async () => {
    const clock = new VirtualClock();
    const s = settings({ scenario: 'singlestream', minDurationMs: 1000, minQueryCount: 5, ...tokenSettings });
    const outcome = await runTest(new StreamingSut(clock, () => STEADY), new FakeLibrary(64), s, { clock });
    const t = outcome.summary.tokens!;
    const n = Math.max(minQueriesForEstimate(0.9), Math.ceil(1000 / 140) + 1);
    expect(outcome.summary.queriesIssued).toBe(n);
    expect(t.ttftNs?.percentilesNs['99']).toBe(50 * MS);
    expect(t.ttftNs?.minNs).toBe(50 * MS);
    expect(t.tpotNs?.maxNs).toBe(10 * MS);
    expect(t.tpotNs?.minNs).toBe(10 * MS);
    expect(t.itlNs?.count).toBe(9 * n);
    expect(t.itlNs?.percentilesNs['50']).toBe(10 * MS);
    expect(t.outputTokens).toBe(10 * n);
    expect(t.outputTokensPerRequest?.mean).toBe(10);
    expect(t.requestOutputTokensPerSecond?.max).toBeCloseTo(10 / 0.14, 9);
    expect(t.goodRequests).toBe(n);
    // SingleStream reports against the bounds but is not judged on them.
    expect(outcome.checks.map((c) => c.name)).not.toContain('ttftConstraint');
    expect(outcome.summary.metric.name).toBe('p90 sample latency (early-stopping estimate)');
    expect(outcome.summary.metric.value).toBe(140);
  });

  it('Offline: tokens per second over the longest sample, as LoadGen', async () => {
    const clock = new VirtualClock();
    const s = settings({ scenario: 'offline', minDurationMs: 100, minQueryCount: 400, offlineExpectedQps: 1, ...tokenSettings });
    const outcome = await runTest(new StreamingSut(clock, () => STEADY), new FakeLibrary(64), s, { clock });
    expect(outcome.summary.samplesCompleted).toBe(400);
    expect(outcome.summary.metric).toEqual({ name: 'tokens per second', value: (400 * 10) / 0.14, unit: 'tokens/s' });
    expect(outcome.summary.tokens?.ttftNs?.maxNs).toBe(50 * MS);
  });

  it('Offline too short: the advice is in samples/s (what the query is sized in), not the tokens/s headline', async () => {
    const clock = new VirtualClock();
    const s = settings({ scenario: 'offline', minDurationMs: 1000, minQueryCount: 400, offlineExpectedQps: 1, ...tokenSettings });
    const outcome = await runTest(new StreamingSut(clock, () => STEADY), new FakeLibrary(64), s, { clock });
    const check = outcome.checks.find((c) => c.name === 'minDuration')!;
    expect(check.passed).toBe(false);
    // 400 samples in 140 ms: 2857.1 samples/s, plus 20% = 3429.
    expect(check.recommendation).toBe('the system is faster than the query was sized for: set --offline-expected-qps 3429 (measured 2857.1 samples/s, plus 20%)');
  });

  it('Server: p99 TTFT over its bound is INVALID on TTFT alone; TPOT and early stopping on TPOT pass', async () => {
    const clock = new VirtualClock();
    const s = settings({ scenario: 'server', targetQps: 100, latencyPercentile: 99, minDurationMs: 10_000, minQueryCount: 100, ...tokenSettings });
    // Every 50th response id answers its first token after 3 s: 2% over the 2 s bound.
    const sut = new StreamingSut(clock, (id) => (id % 50 === 0 ? { ...STEADY, firstNs: 3000 * MS } : STEADY));
    const outcome = await runTest(sut, new FakeLibrary(64), s, { clock });
    const t = outcome.summary.tokens!;
    const n = outcome.summary.samplesIssued;
    const over = Math.floor((n - 1) / 50) + 1;
    expect(t.overTtftBound).toBe(over);
    expect(t.ttftAtPercentileNs).toBe(3000 * MS);
    expect(t.tpotAtPercentileNs).toBe(10 * MS);
    expect(t.overTpotBound).toBe(0);
    expect(t.goodRequests).toBe(n - over);
    const byName = Object.fromEntries(outcome.checks.map((c) => [c.name, c.passed]));
    expect(byName).toEqual({
      minDuration: true,
      minQueries: true,
      ttftConstraint: false,
      tpotConstraint: true,
      earlyStoppingTtft: false,
      earlyStoppingTpot: true,
      completedAll: true,
    });
    expect(outcome.summary.metric.name).toBe('completed tokens per second');
    expect(outcome.checks.find((c) => c.name === 'ttftConstraint')?.detail).toBe(
      'p99 TTFT 3000.000 ms (failures count as over), bound 2000 ms',
    );
  });

  it('Server within both bounds is VALID; the end-to-end latency is not judged without its own bound', async () => {
    const clock = new VirtualClock();
    const s = settings({ scenario: 'server', targetQps: 100, latencyPercentile: 99, minDurationMs: 5000, minQueryCount: 100, ...tokenSettings });
    const outcome = await runTest(new StreamingSut(clock, () => STEADY), new FakeLibrary(64), s, { clock });
    expect(outcome.checks.every((c) => c.passed)).toBe(true);
    expect(outcome.checks.map((c) => c.name)).not.toContain('latencyConstraint');
    expect(outcome.summary.tokens?.overTtftBound).toBe(0);
  });

  it('a stream that breaks midway fails its sample, keeps the tokens it brought, and counts as over both bounds', async () => {
    const clock = new VirtualClock();
    const s = settings({ scenario: 'server', targetQps: 100, latencyPercentile: 99, minDurationMs: 5000, minQueryCount: 100, ...tokenSettings });
    const sut = new StreamingSut(clock, (id) => (id % 10 === 3 ? { ...STEADY, breakAfter: 5 } : STEADY));
    const outcome = await runTest(sut, new FakeLibrary(64), s, { clock });
    const t = outcome.summary.tokens!;
    const broken = outcome.summary.samplesFailed;
    expect(broken).toBeGreaterThan(0);
    expect(t.tokensOfFailedSamples).toBe(5 * broken);
    expect(t.overTtftBound).toBe(broken);
    expect(t.overTpotBound).toBe(broken);
    expect(outcome.recorder.tokenLog?.tokensOf(3)).toBe(5);
    expect(outcome.checks.find((c) => c.name === 'completedAll')?.passed).toBe(false);
  });

  it('several tokens per chunk: ITL is per chunk gap, the server-reported count drives TPOT', async () => {
    const clock = new VirtualClock();
    const s = settings({ scenario: 'singlestream', minDurationMs: 100, minQueryCount: 5, ...tokenSettings });
    // 8 tokens in 4 chunks 20 ms apart, first at 40 ms: e2e 100 ms; the server says 9 tokens.
    const script: StreamScript = { firstNs: 40 * MS, intervalNs: 20 * MS, tokens: 8, perChunk: 2, reportedTokens: 9 };
    const outcome = await runTest(new StreamingSut(clock, () => script), new FakeLibrary(8), s, { clock });
    const t = outcome.summary.tokens!;
    expect(t.itlNs?.minNs).toBe(20 * MS);
    expect(t.chunksWithSeveralTokens).toBe(t.chunks);
    expect(t.tpotNs?.maxNs).toBe((100 - 40) * MS / 8);
    expect(t.outputTokensPerRequest?.max).toBe(9);
  });
});
