import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDocument } from '../../src/results/validate.js';
import { onlyRun, runCli, tempDir } from '../helpers/cli.js';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../openai/fake-openai-server.js';

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer({ firstTokenMs: 5, tokenIntervalMs: 2 });
});
afterAll(async () => {
  await server.close();
});

/** Bad input to an LLM run: exit 2 and a message naming the flag or the server, before anything runs. */
describe('mlbench --backend openai: wrong input', () => {
  it.each([
    [['--backend', 'openai'], '--backend openai needs --url'],
    [['--backend', 'openai', '--url', 'http://127.0.0.1:9/v1'], 'http://127.0.0.1:9/v1'],
    [['--backend', 'openai', '--url', 'URL', '--workload', 'shapes-cnn'], '--backend openai needs an LLM workload'],
    [['--backend', 'openai', '--url', 'URL', '--scenario', 'multistream'], 'not defined for LLM streams'],
    [['--backend', 'openai', '--url', 'URL', '--mode', 'accuracy'], 'scoring LLM outputs is not supported yet'],
    [['--backend', 'openai', '--url', 'URL', '--output-tokens', '9:3'], '--output-tokens'],
    [['--backend', 'openai', '--url', 'URL', '--scenario', 'server', '--ttft-bound-ms', '-5'], '--ttft-bound-ms'],
    [['--scenario', 'interactive'], '--scenario interactive'],
    [['--backend', 'null', '--tpot-bound-ms', '40'], 'token bounds apply to LLM streams'],
  ])('%j', async (args, message) => {
    const run = await runCli([...args.map((a) => (a === 'URL' ? server.url : a)), '--output', tempDir('openai-bad')]);
    expect(run.stderr).toContain(message);
    expect(run.code).toBe(2);
  }, 30_000);

  it('a server whose streams break: the run ends as failed (exit 4, no sample completed), the tokens before each break and the failures by kind kept', async () => {
    server.setBehavior({ breakAfterTokens: 3 });
    try {
      const out = tempDir('openai-broken');
      const run = await runCli(['--backend', 'openai', '--url', server.url, '--scenario', 'offline', '--prompt-count', '16', '--output-tokens', '8', '--warmup-query-count', '0', '--min-duration-ms', '100', '--output', out, '--json']);
      expect(run.code).toBe(4);
      const result = JSON.parse(run.stdout) as {
        summary: { samplesIssued: number; samplesFailed: number; tokens: { tokensOfFailedSamples: number; ttftAtPercentileNs: number | null } };
        llm: { client: { streamsBroken: number; errorsByKind: { connection: number } } };
      };
      const issued = result.summary.samplesIssued;
      expect(issued).toBeGreaterThanOrEqual(16);
      expect(result.summary.samplesFailed).toBe(issued);
      // The server resets each stream right after its third token; a reset may drop writes the
      // client had not read yet, so each failed stream kept between 0 and 3 of them.
      const kept = result.summary.tokens.tokensOfFailedSamples;
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThanOrEqual(3 * issued);
      const detail = readFileSync(join(onlyRun(out).dir, 'detail.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"tokens"'));
      const inDetail = detail
        .map((l) => JSON.parse(l) as { phase: string; streams: { tokens: number[] }[] })
        .filter((r) => r.phase === 'measure')
        .flatMap((r) => r.streams.flatMap((st) => st.tokens))
        .reduce((a, b) => a + b, 0);
      expect(inDetail).toBe(kept);
      expect(result.summary.tokens.ttftAtPercentileNs).toBeNull();
      expect(result.llm.client.streamsBroken).toBe(issued);
      expect(result.llm.client.errorsByKind.connection).toBe(issued);
    } finally {
      server.setBehavior({ breakAfterTokens: null });
    }
  }, 60_000);
});

describe('mlbench --backend openai: Ctrl-C with streams in flight', () => {
  it('exits 130 with what was measured written, marked aborted, the partial streams in detail.jsonl', async () => {
    server.setBehavior({ firstTokenMs: 20, tokenIntervalMs: 50 });
    try {
      const out = tempDir('openai-sigint');
      const run = await runCli(
        ['--backend', 'openai', '--url', server.url, '--scenario', 'server', '--target-qps', '20', '--output-tokens', '40', '--warmup-query-count', '0', '--min-duration-ms', '20000', '--output', out],
        { onSpawn: (kill) => setTimeout(() => kill('SIGINT'), 3000) },
      );
      expect(run.code).toBe(130);
      const { dir, result } = onlyRun(out);
      expect(result['status']).toBe('aborted');
      expect(validateDocument('result', result, 'result.json')).toEqual([]);
      const tokenRecords = readFileSync(join(dir, 'detail.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"tokens"'));
      expect(tokenRecords.length).toBeGreaterThan(0);
    } finally {
      server.setBehavior({ firstTokenMs: 5, tokenIntervalMs: 2 });
    }
  }, 60_000);
});
