import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { serveLlm } from '../../helpers/serve-llm.js';
import { post, sseData } from './llm-serve-helpers.js';

describe('mlbench serve --llm (the built CLI, the real engine)', () => {
  it('prints the ready line, streams exactly max_tokens tokens with ignore_eos, and exits 0 on SIGTERM', async () => {
    const served = await serveLlm(['--http-port', '0', '--intra-op-threads', '1']);
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(served.stderr()).toContain('mlbench serve: llm: continuous batching, up to 8 sequences per decode step; queue no limit; intra-op threads 1');
    const models = (await (await fetch(`${served.url}/models`)).json()) as { data: { id: string; max_model_len: number }[] };
    expect(models.data.map((m) => m.id)).toEqual(['tiny-llm']);

    const body = { model: 'tiny-llm', prompt: 'the history of the world', max_tokens: 8, ignore_eos: true, stream: true, stream_options: { include_usage: true, continuous_usage_stats: true } };
    const response = await post(`${served.url}/completions`, body);
    expect(response.status).toBe(200);
    const events = sseData(await response.text());
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1) as { choices: { finish_reason: string | null }[]; usage: { completion_tokens: number; prompt_tokens: number } }[];
    // 8 token chunks, the finish chunk, the usage chunk.
    expect(chunks).toHaveLength(8 + 1 + 1);
    expect(chunks.map((c) => c.usage.completion_tokens)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 8, 8]);
    expect(chunks[8]!.choices[0]!.finish_reason).toBe('length');
    expect(chunks[9]!.usage.prompt_tokens).toBe(5);

    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
    expect(served.stderr()).toMatch(/SIGTERM: finishing the streams in progress/);
    expect(served.stderr()).toMatch(/stopped: 1 request completed, 0 cancelled \(client gone\), 0 failed, 0 refused \(queue full\), 0 rejected \(4xx\); 8 tokens generated; engine \(continuous\): 1 prefill, 7 decode steps, mean decode batch 1\.00/);
  });

  it('bad flags exit 2 naming each; --scheduler without --llm too', async () => {
    const bad = await runCli(['serve', '--llm', '--max-batch', '0', '--grpc-port', '9001']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('--max-batch 0: must be a whole number from 1');
    expect(bad.stderr).toContain('--grpc-port 9001: does not apply with --llm');
    const stray = await runCli(['serve', '--scheduler', 'static']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--scheduler static: applies only with --llm');
  });
});
