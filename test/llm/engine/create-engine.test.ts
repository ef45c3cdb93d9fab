import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/cli/errors.js';
import { createEngine } from '../../../src/llm/engine/create-engine.js';
import type { SchedulerName } from '../../../src/llm/engine/types.js';

const valid = { scheduler: 'continuous' as SchedulerName, maxBatch: 4, batchWindowMs: 0, intraOpThreads: 0 };

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('createEngine', () => {
  it('reports every bad option at once', async () => {
    const error = await rejection(
      createEngine({ scheduler: 'fastest' as SchedulerName, maxBatch: 0, batchWindowMs: -1, intraOpThreads: 1.5 }),
    );
    expect(error.kind).toBe('config');
    for (const word of ["scheduler 'fastest'", 'maxBatch', 'batchWindowMs', 'intraOpThreads']) expect(error.message).toContain(word);
  });

  it('names the missing model.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlbench-no-model-'));
    const error = await rejection(createEngine({ ...valid, modelDir: dir }));
    expect(error.kind).toBe('model');
    expect(error.message).toContain(join(dir, 'model.json'));
  });

  it('refuses a model whose vocabulary is not the tokenizer’s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlbench-bad-model-'));
    const shape = { vocabularySize: 100, contextLength: 512, width: 64, heads: 4, feedForwardWidth: 256, layers: 2 };
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ name: 'x', shape }));
    const error = await rejection(createEngine({ ...valid, modelDir: dir }));
    expect(error.message).toMatch(/vocabulary 100 is not the word tokenizer's 721/);
  });

  it('names a model.onnx onnxruntime cannot load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlbench-bad-onnx-'));
    const shape = { vocabularySize: 721, contextLength: 512, width: 64, heads: 4, feedForwardWidth: 256, layers: 2 };
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ name: 'x', shape }));
    writeFileSync(join(dir, 'model.onnx'), 'not a model');
    const error = await rejection(createEngine({ ...valid, modelDir: dir }));
    expect(error.kind).toBe('model');
    expect(error.message).toContain(join(dir, 'model.onnx'));
  });
});
