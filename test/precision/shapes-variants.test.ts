import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildVariant } from '../../src/precision/build-variant.js';
import type { VariantBuild } from '../../src/precision/types.js';
import { compareOutputs, type ModelOutput, optimizedOpCounts, runModel } from './helpers/run-model.js';
import { shapesFeeds } from './helpers/shapes-feeds.js';
import { FP16_MAX_RELATIVE_DIFF, FP16_MIN_TOP1_AGREEMENT, INT8_MAX_MEAN_RELATIVE_DIFF, INT8_MIN_TOP1_AGREEMENT } from './helpers/tolerances.js';

const fp32 = new Uint8Array(readFileSync(new URL('../../workloads/shapes-cnn/model.onnx', import.meta.url)));
const evalFeeds = shapesFeeds('eval', 256);
const calibration = { feeds: shapesFeeds('train', 256), description: 'shapes seed 7, split train, indices 0-255' };

describe('precision variants of the built-in shapes-cnn', () => {
  let reference: ModelOutput;
  const builds = new Map<string, VariantBuild>();
  beforeAll(async () => {
    reference = await runModel(fp32, evalFeeds);
    for (const precision of ['fp16', 'int8-dynamic', 'int8-static'] as const) builds.set(precision, await buildVariant(fp32, precision, calibration));
  });

  it('fp16 stays within FP16_MAX_RELATIVE_DIFF of fp32 over 256 eval samples', async () => {
    const comparison = compareOutputs(reference, await runModel(builds.get('fp16')!.bytes, evalFeeds));
    expect(comparison.maxRelativeDiff).toBeLessThanOrEqual(FP16_MAX_RELATIVE_DIFF);
    expect(comparison.top1Agreement).toBeGreaterThanOrEqual(FP16_MIN_TOP1_AGREEMENT);
  });

  it.each(['int8-dynamic', 'int8-static'])('%s agrees with fp32 on the top-1 class of 256 eval samples', async (precision) => {
    const comparison = compareOutputs(reference, await runModel(builds.get(precision)!.bytes, evalFeeds));
    expect(comparison.top1Agreement).toBeGreaterThanOrEqual(INT8_MIN_TOP1_AGREEMENT);
    expect(comparison.meanRelativeDiff).toBeLessThanOrEqual(INT8_MAX_MEAN_RELATIVE_DIFF);
  });

  it('fp16 is half the size and keeps float32 at the edges', async () => {
    const build = builds.get('fp16')!;
    expect(build.bytes.byteLength).toBeLessThan(fp32.byteLength * 0.6);
    expect(build.notes).toContain('float initializers stored as float16; graph inputs and outputs stay float32 (Cast at the edges)');
    expect(build.calibration).toBeNull();
  });

  it('int8-dynamic runs as DynamicQuantizeLinear + ConvInteger and a fused DynamicQuantizeMatMul', async () => {
    const ops = await optimizedOpCounts(builds.get('int8-dynamic')!.bytes);
    expect(ops['ConvInteger']).toBe(3);
    expect(ops['DynamicQuantizeMatMul']).toBe(1);
    expect(ops['Conv'] ?? 0).toBe(0);
    expect(builds.get('int8-dynamic')!.notes).toContain('float32 (not quantized): Flatten, GlobalAveragePool, MaxPool, Relu, Sub');
  });

  it('int8-static becomes QLinearConv, uint8 MaxPool, QLinearGlobalAveragePool and QGemm in onnxruntime', async () => {
    const ops = await optimizedOpCounts(builds.get('int8-static')!.bytes);
    expect(ops).toMatchObject({ QLinearConv: 3, MaxPool: 2, QLinearGlobalAveragePool: 1, QGemm: 1, QuantizeLinear: 1 });
    // Only the graph input is quantized in float; no tensor is dequantized again on the way.
    expect(ops['DequantizeLinear'] ?? 0).toBe(0);
    expect(ops['Conv'] ?? 0).toBe(0);
  });

  it('int8-static records how it was calibrated', () => {
    const build = builds.get('int8-static')!;
    expect(build.calibration).toEqual({
      method: 'minmax',
      sampleCount: 256,
      samples: 'shapes seed 7, split train, indices 0-255',
      activations: 'uint8 asymmetric, per tensor; range = [min, max] over the samples, widened to include 0, rounded outward to 8 significant bits',
      weights: 'int8 symmetric, per output channel; bias int32 with scale = input scale x weight scale',
    });
    expect(build.notes).toContain('3 Relu after Conv/MatMul/Gemm folded into the output quantization (zero point 0)');
  });
});
