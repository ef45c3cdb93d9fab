import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR } from '../../../src/llm/engine/create-engine.js';
import { TINY_LLM_SHAPE } from '../../../src/llm/model/config.js';
import { decoderParameterCount } from '../../../src/llm/model/weights.js';

// Rebuilding the committed model means training it (minutes), too slow for a test: the
// generator (npm run generate:models -- --only tiny-llm) builds it twice and writes only when
// the two builds are identical. Here: the committed files agree with each other and the code.
describe('committed workloads/tiny-llm', () => {
  const manifest = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'model.json'), 'utf8')) as Record<string, unknown>;
  const bytes = readFileSync(join(DEFAULT_MODEL_DIR, 'model.onnx'));

  it('model.json records the sha256 and size of model.onnx, which stays under 2 MB', () => {
    expect(manifest['sha256']).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(manifest['sizeBytes']).toBe(bytes.byteLength);
    expect(statSync(join(DEFAULT_MODEL_DIR, 'model.onnx')).size).toBeLessThan(2 * 1024 * 1024);
  });

  it('has the shape and parameter count of the code (vocabulary from the word tokenizer)', () => {
    expect(manifest['shape']).toEqual({ ...TINY_LLM_SHAPE });
    expect(manifest['parameters']).toBe(decoderParameterCount(TINY_LLM_SHAPE));
  });

  it('says whether it was trained, and with what', () => {
    const trained = manifest['trained'];
    expect(typeof trained).toBe('boolean');
    if (trained) {
      const training = manifest['training'] as { finalLoss: number; firstLoss: number; tokens: number };
      expect(training.finalLoss).toBeLessThan(training.firstLoss);
      expect(training.tokens).toBeGreaterThan(0);
    } else {
      expect(manifest['training']).toBeNull();
      expect(String(manifest['description'])).toMatch(/UNTRAINED/);
    }
  });
});
