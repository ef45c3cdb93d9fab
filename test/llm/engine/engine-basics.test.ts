import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/llm/engine/create-engine.js';
import type { GenerationEngine } from '../../../src/llm/engine/types.js';
import { collectingRequest, generate } from './collect.js';

const engines: GenerationEngine[] = [];
async function open(scheduler: 'continuous' | 'static', maxBatch = 4): Promise<GenerationEngine> {
  const engine = await createEngine({ scheduler, maxBatch, batchWindowMs: 0, intraOpThreads: 1 });
  engines.push(engine);
  return engine;
}
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

describe('generation engine', () => {
  it('describes the built-in model', async () => {
    const engine = await open('continuous');
    expect(engine.modelName).toBe('tiny-llm');
    expect(engine.maxContext).toBe(512);
    expect(engine.maxBatch).toBe(4);
    expect(engine.scheduler).toBe('continuous');
    expect(engine.tokenizer.vocabSize).toBe(259 + 462);
  });

  for (const scheduler of ['continuous', 'static'] as const) {
    it(`${scheduler}: exactly maxTokens tokens with stopAtEos false, onFinish('length') once, never EOS`, async () => {
      const engine = await open(scheduler);
      const prompt = engine.tokenizer.encode('the people of the city');
      const results = await Promise.all([7, 1, 30].map((n) => generate(engine, prompt, n)));
      expect(results.map((r) => r.tokens.length)).toEqual([7, 1, 30]);
      for (const r of results) {
        expect(r.finishes).toEqual(['length']);
        expect(r.errors).toEqual([]);
        expect(r.tokens).not.toContain(engine.tokenizer.eosId);
      }
      const stats = engine.stats();
      expect(stats.generatedTokens).toBe(38);
      expect(stats.finishedSequences).toBe(3);
      expect(stats.prefillSteps).toBe(3);
      expect(stats.waiting).toBe(0);
      expect(stats.running).toBe(0);
    });
  }

  it('greedy generation is deterministic and the same alone, batched, and under either scheduler', async () => {
    const continuous = await open('continuous');
    const staticEngine = await open('static');
    const prompts = ['the world', 'a new school year', 'time'].map((t) => continuous.tokenizer.encode(t));
    const alone = [];
    for (const p of prompts) alone.push((await generate(continuous, p, 12)).tokens);
    const again = await generate(continuous, prompts[0]!, 12);
    expect(again.tokens).toEqual(alone[0]);
    const batchedContinuous = await Promise.all(prompts.map((p) => generate(continuous, p, 12)));
    const batchedStatic = await Promise.all(prompts.map((p) => generate(staticEngine, p, 12)));
    expect(batchedContinuous.map((r) => r.tokens)).toEqual(alone);
    expect(batchedStatic.map((r) => r.tokens)).toEqual(alone);
    // Different prompts lead somewhere different (the engine does not mix rows up).
    expect(alone[0]).not.toEqual(alone[1]);
  });

  it('an empty prompt starts from beginning-of-sequence', async () => {
    const engine = await open('continuous');
    const empty = await generate(engine, new Int32Array(0), 5);
    const bos = await generate(engine, Int32Array.of(engine.tokenizer.bosId), 5);
    expect(empty.tokens).toEqual(bos.tokens);
  });

  it('prompt + maxTokens over the context, bad maxTokens or ids outside the vocabulary: onError, the engine goes on', async () => {
    const engine = await open('continuous');
    const tooLong = await generate(engine, new Int32Array(500).fill(300), 13);
    expect(tooLong.errors[0]?.message).toMatch(/exceeds the context of 512/);
    expect(tooLong.tokens).toEqual([]);
    const zero = await generate(engine, Int32Array.of(300), 0);
    expect(zero.errors[0]?.message).toMatch(/maxTokens/);
    const outside = await generate(engine, Int32Array.of(300, 100000), 3);
    expect(outside.errors[0]?.message).toMatch(/outside the vocabulary/);
    const fits = await generate(engine, new Int32Array(500).fill(300), 12);
    expect(fits.tokens.length).toBe(12);
    expect(fits.finishes).toEqual(['length']);
  });

  it('cancel stops the callbacks of that sequence only', async () => {
    const engine = await open('continuous');
    const prompt = engine.tokenizer.encode('the city');
    const cancelled = collectingRequest(prompt, 200);
    let handle: { cancel(): void } | undefined;
    const cancelledRequest = {
      ...cancelled.request,
      onToken: (id: number) => {
        cancelled.request.onToken(id);
        if (cancelled.collected.tokens.length === 3) handle?.cancel();
      },
    };
    handle = engine.submit(cancelledRequest);
    const other = await generate(engine, prompt, 20);
    expect(other.tokens.length).toBe(20);
    expect(cancelled.collected.tokens.length).toBe(3);
    expect(cancelled.collected.finishes).toEqual([]);
    expect(cancelled.collected.errors).toEqual([]);
    // Cancelled while waiting: never starts.
    const waiting = collectingRequest(prompt, 5);
    engine.submit(waiting.request).cancel();
    await generate(engine, prompt, 2);
    expect(waiting.collected.tokens).toEqual([]);
    expect(engine.stats().running).toBe(0);
  });

  it('close fails what is queued or running with onError, once, and later submissions too', async () => {
    const engine = await open('continuous', 2);
    const prompt = engine.tokenizer.encode('the world');
    const requests = [0, 1, 2, 3].map(() => collectingRequest(prompt, 400));
    for (const r of requests) engine.submit(r.request);
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (requests[0]!.collected.tokens.length >= 2) resolve();
        else setTimeout(check, 1);
      };
      check();
    });
    await engine.close();
    for (const r of requests) {
      expect(r.collected.errors.length).toBe(1);
      expect(r.collected.errors[0]?.message).toMatch(/closed/);
      expect(r.collected.finishes).toEqual([]);
    }
    const afterClose = await generate(engine, prompt, 3);
    expect(afterClose.errors[0]?.message).toMatch(/closed/);
    await engine.close();
  });

  it('a throwing onToken fails that sequence only', async () => {
    const engine = await open('continuous');
    const prompt = engine.tokenizer.encode('the world');
    const bad = collectingRequest(prompt, 10);
    engine.submit({
      ...bad.request,
      onToken: () => {
        throw new Error('listener broke');
      },
    });
    const good = await generate(engine, prompt, 10);
    await bad.collected.ended;
    expect(bad.collected.errors[0]?.message).toBe('listener broke');
    expect(good.tokens.length).toBe(10);
  });
});
