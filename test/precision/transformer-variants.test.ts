import { beforeAll, describe, expect, it } from 'vitest';
import { buildVariant } from '../../src/precision/build-variant.js';
import type { VariantBuild } from '../../src/precision/types.js';
import { compareOutputs, type ModelOutput, optimizedOpCounts, runModel } from './helpers/run-model.js';
import { FP16_MAX_RELATIVE_DIFF, FP16_MIN_TOP1_AGREEMENT, INT8_MAX_MEAN_RELATIVE_DIFF, INT8_MIN_TOP1_AGREEMENT } from './helpers/tolerances.js';
import { buildTransformerOpsModel, syntheticTokenFeeds } from './helpers/transformer-ops-model.js';

const fp32 = buildTransformerOpsModel(3);
const evalFeeds = syntheticTokenFeeds(101, 256);
const calibration = { feeds: syntheticTokenFeeds(202, 128), description: 'synthetic tokens, rng seed 202, 128 sequences' };

describe('precision variants of a model with the tokens-transformer op set', () => {
  let reference: ModelOutput;
  const builds = new Map<string, VariantBuild>();
  beforeAll(async () => {
    reference = await runModel(fp32, evalFeeds);
    for (const precision of ['fp16', 'int8-dynamic', 'int8-static'] as const) builds.set(precision, await buildVariant(fp32, precision, calibration));
  });

  it('fp16 stays within FP16_MAX_RELATIVE_DIFF of fp32, with the int32 token ids fed unchanged', async () => {
    const comparison = compareOutputs(reference, await runModel(builds.get('fp16')!.bytes, evalFeeds));
    expect(comparison.maxRelativeDiff).toBeLessThanOrEqual(FP16_MAX_RELATIVE_DIFF);
    expect(comparison.top1Agreement).toBeGreaterThanOrEqual(FP16_MIN_TOP1_AGREEMENT);
  });

  it.each(['int8-dynamic', 'int8-static'])('%s agrees with fp32 on the top-1 class of 256 sequences', async (precision) => {
    const comparison = compareOutputs(reference, await runModel(builds.get(precision)!.bytes, evalFeeds));
    expect(comparison.top1Agreement).toBeGreaterThanOrEqual(INT8_MIN_TOP1_AGREEMENT);
    expect(comparison.meanRelativeDiff).toBeLessThanOrEqual(INT8_MAX_MEAN_RELATIVE_DIFF);
  });

  it('int8-dynamic quantizes the weight MatMuls and the Gemm, and names what stays float32', async () => {
    const ops = await optimizedOpCounts(builds.get('int8-dynamic')!.bytes);
    // 6 MatMul by a weight + the Gemm; onnxruntime shares one DynamicQuantizeLinear between q, k and v.
    expect((ops['DynamicQuantizeMatMul'] ?? 0) + (ops['MatMulIntegerToFloat'] ?? 0)).toBe(7);
    expect(builds.get('int8-dynamic')!.notes).toContain(
      'float32 (not quantized): Add, Concat, Div, Erf, Gather, LayerNormalization, MatMul, Mul, Pow, ReduceMean, Reshape, Slice, Softmax, Sqrt, Sub, Transpose',
    );
  });

  it('int8-static turns every MatMul (weights and attention) into QLinearMatMul and the Gemm into QGemm', async () => {
    const ops = await optimizedOpCounts(builds.get('int8-static')!.bytes);
    expect(ops['QLinearMatMul']).toBe(8);
    expect(ops['QGemm']).toBe(1);
    expect(ops['MatMul'] ?? 0).toBe(0);
  });
});
