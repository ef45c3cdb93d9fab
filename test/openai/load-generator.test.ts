import { describe, expect, it } from 'vitest';
import { RealClock } from '../../src/loadgen/real-clock.js';
import { runTest } from '../../src/loadgen/run-test.js';
import { OpenAiBackend } from '../../src/openai/openai-backend.js';
import { FakeLibrary, settings } from '../helpers/fakes.js';
import { startFakeOpenAiServer } from './fake-openai-server.js';
import { closedAfterEachTest, openAiOptions, prompts } from './fixtures.js';

const MS = 1_000_000;
/** The fake streams 10 tokens: the first 40 ms after a request arrives, then one every 10 ms (e2e ~130 ms, TPOT ~10 ms). */
const TIMING = { firstTokenMs: 40, tokenIntervalMs: 10 };
/** SingleStream runs one request at a time: a quicker script keeps the test short. */
const QUICK = { firstTokenMs: 20, tokenIntervalMs: 5 };
const TOKENS = 10;

const live = closedAfterEachTest();

async function start(maxOutstanding: number, timing: typeof TIMING): Promise<OpenAiBackend> {
  live.server = await startFakeOpenAiServer(timing);
  live.backend = await OpenAiBackend.create(openAiOptions(live.server.url, { maxOutstanding }), prompts(16, TOKENS));
  return live.backend;
}

/**
 * Through the load generator on the real clock, loopback included: the token metrics come out
 * near the server's script. Lower bounds are the script (the server never sends early); upper
 * bounds leave room for a loaded 2-core CI machine.
 */
describe('openai through the load generator', () => {
  it('SingleStream: TTFT ~20 ms, TPOT and ITL ~5 ms, 10 tokens per request', async () => {
    const sut = await start(1, QUICK);
    const s = settings({ scenario: 'singlestream', minDurationMs: 500, minQueryCount: 8, warmupQueryCount: 2, tokenLatencies: true });
    const outcome = await runTest(sut, new FakeLibrary(16), s, { clock: new RealClock() });
    const t = outcome.summary.tokens!;
    expect(outcome.summary.samplesFailed).toBe(0);
    expect(t.outputTokensPerRequest?.min).toBe(TOKENS);
    expect(t.outputTokensPerRequest?.max).toBe(TOKENS);
    expect(t.ttftNs!.minNs).toBeGreaterThanOrEqual(20 * MS);
    expect(t.ttftNs!.percentilesNs['50']).toBeLessThan(20 * MS + 60 * MS);
    expect(t.tpotNs!.meanNs).toBeGreaterThanOrEqual(4 * MS);
    expect(t.tpotNs!.meanNs).toBeLessThanOrEqual(12 * MS);
    // ITL is measured between chunks (reads), not tokens: on a loaded machine two SSE events can
    // arrive in one read, and that request has one gap fewer (a full test run once saw 575 of 576).
    expect(t.itlNs!.count).toBe(t.chunks - outcome.summary.samplesCompleted);
    if (t.chunksWithSeveralTokens === 0) expect(t.chunks).toBe(TOKENS * outcome.summary.samplesCompleted);
    expect(t.itlNs!.meanNs).toBeGreaterThanOrEqual(4 * MS);
    expect(t.itlNs!.meanNs).toBeLessThanOrEqual(12 * MS);
    // One request per sample, the warmup's included (runTest does not reset the client's stats; the CLI does).
    expect(sut.stats().requests).toBe(outcome.summary.samplesIssued + outcome.warmup.queryCount);
  });

  it('Server: TTFT from the scheduled time, under generous token bounds, VALID on the token checks', async () => {
    const sut = await start(32, TIMING);
    const s = settings({
      scenario: 'server',
      targetQps: 100,
      minDurationMs: 1000,
      minQueryCount: 20,
      warmupQueryCount: 0,
      latencyPercentile: 99,
      tokenLatencies: true,
      ttftBoundMs: 2000,
      tpotBoundMs: 200,
    });
    const outcome = await runTest(sut, new FakeLibrary(16), s, { clock: new RealClock() });
    const t = outcome.summary.tokens!;
    expect(outcome.summary.samplesFailed).toBe(0);
    expect(t.ttftNs!.minNs).toBeGreaterThanOrEqual(40 * MS);
    expect(t.ttftNs!.percentilesNs['50']).toBeLessThan(100 * MS);
    expect(t.tpotNs!.percentilesNs['50']).toBeGreaterThanOrEqual(8 * MS);
    expect(t.tpotNs!.percentilesNs['50']).toBeLessThanOrEqual(20 * MS);
    expect(t.overTtftBound).toBe(0);
    expect(t.overTpotBound).toBe(0);
    expect(t.goodRequests).toBe(outcome.summary.samplesCompleted);
    const byName = Object.fromEntries(outcome.checks.map((c) => [c.name, c.passed]));
    expect(byName['ttftConstraint']).toBe(true);
    expect(byName['tpotConstraint']).toBe(true);
  });
});
