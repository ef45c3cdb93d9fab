import { describe, expect, it } from 'vitest';
import { formatLlmSettingsLine, type LlmServeFlagValues, resolveLlmServeOptions } from '../../../src/llm/serve/llm-serve-options.js';

/** The flags as yargs hands them over with every default (src/cli/serve-command.ts). */
const DEFAULTS: LlmServeFlagValues = {
  host: '127.0.0.1',
  'http-port': 8000,
  'grpc-port': 8001,
  'max-batch': 8,
  'batch-window-ms': 1,
  'max-queue': 0,
  'max-request-mb': 64,
  'intra-op-threads': 0,
  precision: 'fp32',
  provider: 'cpu',
  'ort-spinning': false,
  instances: 1,
};

describe('mlbench serve --llm flags', () => {
  it('defaults: tiny-llm on 127.0.0.1:8000, continuous batching of 8, no queue limit', () => {
    const options = resolveLlmServeOptions(DEFAULTS);
    expect(options).toEqual({
      name: 'tiny-llm',
      host: '127.0.0.1',
      port: 8000,
      maxQueue: 0,
      maxRequestBytes: 64 * 1024 * 1024,
      engine: { scheduler: 'continuous', maxBatch: 8, batchWindowMs: 1, intraOpThreads: 0 },
    });
    expect(formatLlmSettingsLine(options)).toBe("mlbench serve: llm: continuous batching, up to 8 sequences per decode step; queue no limit; intra-op threads onnxruntime's default");
  });

  it('static batching names its window', () => {
    const options = resolveLlmServeOptions({ ...DEFAULTS, scheduler: 'static', 'max-batch': 4, 'batch-window-ms': 20, 'max-queue': 64, 'intra-op-threads': 2, name: 'small' });
    expect(options.name).toBe('small');
    expect(options.engine).toEqual({ scheduler: 'static', maxBatch: 4, batchWindowMs: 20, intraOpThreads: 2 });
    expect(formatLlmSettingsLine(options)).toBe('mlbench serve: llm: static batching, up to 4 sequences per decode step, batch window 20 ms; queue 64 waiting sequences; intra-op threads 2');
  });

  it('reports every problem at once, KServe-only flags included', () => {
    const flags = { ...DEFAULTS, 'http-port': -1, 'max-batch': 0, 'max-queue': 1.5, scheduler: 'round-robin', 'grpc-port': 9001, model: 'x.onnx', precision: 'fp16', 'ort-spinning': true };
    expect(() => resolveLlmServeOptions(flags)).toThrow(
      [
        'mlbench serve --llm: ',
        '  - --http-port -1: must be a whole number from 0 to 65535',
        '  - --max-batch 0: must be a whole number from 1 to 9007199254740991',
        '  - --max-queue 1.5: must be a whole number from 0 to 9007199254740991',
        '  - --scheduler round-robin: must be one of continuous, static',
        '  - --model: does not apply with --llm (it serves the built-in tiny-llm model)',
        '  - --grpc-port 9001: does not apply with --llm (the OpenAI API is HTTP only, on --http-port)',
        '  - --precision fp16: does not apply with --llm (the built-in LLM has one variant, fp32)',
        "  - --ort-spinning true: does not apply with --llm (the LLM engine keeps onnxruntime's own thread settings)",
      ].join('\n'),
    );
  });
});
