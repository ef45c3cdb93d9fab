import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDocument } from '../../src/results/validate.js';
import { onlyRun, runCli, tempDir } from '../helpers/cli.js';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../openai/fake-openai-server.js';

/**
 * The built CLI against a fake OpenAI server on loopback whose streams have known timing:
 * first token 50 ms after the request arrives, then one every 10 ms, 10 tokens. The truth is
 * TTFT 50 ms (plus the client's and loopback's share), TPOT and ITL 10 ms. Tolerances: TTFT
 * p50 in [50, 90) ms, TPOT p50 in [9, 14] ms, ITL p50 in [5, 20] ms (timer and scheduling
 * noise of a shared 2-core machine, never below the truth for TTFT).
 */
const MS = 1e6;
let server: FakeOpenAiServer;

beforeAll(async () => {
  server = await startFakeOpenAiServer({ firstTokenMs: 50, tokenIntervalMs: 10 });
});
afterAll(async () => {
  await server.close();
});

const common = ['--backend', 'openai', '--input-tokens', '8', '--output-tokens', '10', '--prompt-count', '32', '--warmup-query-count', '2', '--json'];

interface Tokens {
  ttftNs: { percentilesNs: Record<string, number> };
  tpotNs: { percentilesNs: Record<string, number> };
  itlNs: { percentilesNs: Record<string, number> };
  outputTokens: number;
  inputTokens: number;
}

describe('mlbench --backend openai against a stream of known timing (built CLI, loopback)', () => {
  it('Server: TTFT, TPOT and ITL within tolerance of the truth, judged VALID on both token bounds', async () => {
    const out = tempDir('openai-server');
    const run = await runCli([...common, '--url', server.url, '--scenario', 'server', '--target-qps', '100', '--min-duration-ms', '2000', '--ttft-bound-ms', '2000', '--tpot-bound-ms', '200', '--output', out]);
    expect(run.stderr).toContain('TTFT (ms)');
    expect(run.code).toBe(0);
    const { dir, result } = onlyRun(out);
    expect(validateDocument('result', result, 'result.json')).toEqual([]);
    const summary = result['summary'] as { tokens: Tokens; samplesCompleted: number; metric: { name: string } };
    const t = summary.tokens;
    expect(t.ttftNs.percentilesNs['50']).toBeGreaterThanOrEqual(50 * MS);
    expect(t.ttftNs.percentilesNs['50']).toBeLessThan(90 * MS);
    expect(t.tpotNs.percentilesNs['50']).toBeGreaterThanOrEqual(9 * MS);
    expect(t.tpotNs.percentilesNs['50']).toBeLessThanOrEqual(14 * MS);
    expect(t.itlNs.percentilesNs['50']).toBeGreaterThanOrEqual(5 * MS);
    expect(t.itlNs.percentilesNs['50']).toBeLessThanOrEqual(20 * MS);
    expect(t.outputTokens).toBe(10 * summary.samplesCompleted);
    // 8 words per prompt, one token each by the word tokenizer.
    expect(t.inputTokens).toBe(8 * summary.samplesCompleted);
    expect(summary.metric.name).toBe('completed tokens per second');
    const checks = (result['validity'] as { checks: { name: string; passed: boolean }[] }).checks.map((c) => `${c.name}:${c.passed}`);
    expect(checks).toEqual(['minDuration:true', 'minQueries:true', 'ttftConstraint:true', 'tpotConstraint:true', 'earlyStoppingTtft:true', 'earlyStoppingTpot:true', 'outputLength:true', 'completedAll:true']);
    const detail = readFileSync(join(dir, 'detail.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"tokens"'));
    expect(detail.length).toBeGreaterThan(0);
  }, 90_000);

  it('SingleStream: the same truths measured from each query\'s issue time', async () => {
    const out = tempDir('openai-ss');
    const run = await runCli([...common, '--url', server.url, '--scenario', 'singlestream', '--min-duration-ms', '500', '--min-query-count', '10', '--output', out]);
    expect(run.code).toBe(0);
    const t = (onlyRun(out).result['summary'] as { tokens: Tokens }).tokens;
    expect(t.ttftNs.percentilesNs['50']).toBeGreaterThanOrEqual(50 * MS);
    expect(t.ttftNs.percentilesNs['50']).toBeLessThan(90 * MS);
    expect(t.tpotNs.percentilesNs['50']).toBeGreaterThanOrEqual(9 * MS);
    expect(t.tpotNs.percentilesNs['50']).toBeLessThanOrEqual(14 * MS);
  }, 90_000);
});
