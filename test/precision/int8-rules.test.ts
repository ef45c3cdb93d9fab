import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { buildVariant } from '../../src/precision/build-variant.js';
import { decodeModel, ElemType, type TensorProto } from '../../src/precision/onnx/proto.js';
import { float32Tensor, readFloat32 } from '../../src/precision/onnx/tensors.js';
import { quantizeStatic } from '../../src/precision/to-int8-static.js';
import { compareOutputs, runModel } from './helpers/run-model.js';
import { floatInfo, op, tinyModel } from './helpers/tiny-model.js';
import { INT8_MAX_MEAN_RELATIVE_DIFF } from './helpers/tolerances.js';

function rawValues(tensor: TensorProto | undefined): number[] {
  if (!tensor?.rawData) throw new Error('no raw data');
  const raw = tensor.rawData;
  if (tensor.dataType === ElemType.INT8) return [...new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength)];
  if (tensor.dataType === ElemType.UINT8) return [...raw];
  if (tensor.dataType === ElemType.FLOAT) return [...readFloat32(tensor)];
  throw new Error(`unexpected type ${tensor.dataType}`);
}

// x -> MatMul(W) -> Relu -> Sigmoid -> out
const matMulRelu = tinyModel({
  nodes: [op('MatMul', ['x', 'W'], ['h']), op('Relu', ['h'], ['r']), op('Sigmoid', ['r'], ['out'])],
  initializers: [float32Tensor('W', [2, 2], Float32Array.of(1, -0.5, 0.25, 2))],
  inputs: [floatInfo('x', ['batch', 2])],
  outputs: [floatInfo('out', ['batch', 2])],
});

describe('int8-static QDQ placement', () => {
  const { graph } = decodeModel(matMulRelu);
  const ranges = new Map([
    ['x', { min: -1, max: 1 }],
    ['h', { min: -3, max: 5 }],
    ['r', { min: 0, max: 5 }],
    ['out', { min: 0.5, max: 0.99 }],
  ]);
  const result = quantizeStatic(graph, ranges);
  const initializers = new Map(result.graph.initializer?.map((t) => [t.name, t]));

  it('puts Q/DQ on the activation, DQ on the weight, folds the Relu into the output quantization', () => {
    expect(result.graph.node?.map((n) => `${n.opType}(${n.input?.join(',')})->${n.output?.join(',')}`)).toEqual([
      'QuantizeLinear(x,x_scale,x_zero_point)->x_quantized',
      'DequantizeLinear(x_quantized,x_scale,x_zero_point)->x_dequantized',
      'DequantizeLinear(W_quantized,W_scale,W_zero_point)->W_dequantized',
      'MatMul(x_dequantized,W_dequantized)->r',
      'QuantizeLinear(r,r_scale,r_zero_point)->r_quantized',
      'DequantizeLinear(r_quantized,r_scale,r_zero_point)->r_dequantized',
      'Sigmoid(r_dequantized)->out',
    ]);
    expect(result.notes).toContain('1 Relu after Conv/MatMul/Gemm folded into the output quantization (zero point 0)');
    expect(result.notes).toContain('float32 (not quantized): Sigmoid');
  });

  it('stores the calibrated scales and zero points, and the weights int8 per output column', () => {
    expect(rawValues(initializers.get('x_scale'))).toEqual([Math.fround(2 / 255)]);
    expect(rawValues(initializers.get('x_zero_point'))).toEqual([127]);
    // The Relu's range [0, 5], not the MatMul's [-3, 5]: zero point 0 clamps as Relu would.
    expect(rawValues(initializers.get('r_scale'))).toEqual([Math.fround(5 / 255)]);
    expect(rawValues(initializers.get('r_zero_point'))).toEqual([0]);
    expect(rawValues(initializers.get('W_quantized'))).toEqual([127, -32, 32, 127]);
    expect(rawValues(initializers.get('W_scale'))).toEqual([Math.fround(1 / 127), Math.fround(2 / 127)]);
    expect(rawValues(initializers.get('W_zero_point'))).toEqual([0, 0]);
    expect(initializers.has('W')).toBe(false);
  });
});

describe('int8-static MatMul edge cases', () => {
  it('keeps a MatMul whose first input is a constant in float32, and quantizes a 3-D weight per tensor', async () => {
    const model = tinyModel({
      nodes: [op('MatMul', ['K', 'x'], ['a']), op('MatMul', ['a', 'W3'], ['out'])],
      initializers: [
        float32Tensor('K', [4, 2], Float32Array.of(1, 0, 0, 1, 1, 1, 0.5, -0.5)),
        float32Tensor('W3', [2, 3, 2], Float32Array.of(1, -1, 0.5, 0.25, 2, 0, -1, 1, 0.5, 0.5, 1, -2)),
      ],
      inputs: [floatInfo('x', [2, 3])],
      outputs: [floatInfo('out', [2, 4, 2])],
    });
    const feeds = [Float32Array.of(1, -1, 0.5), Float32Array.of(0.25, 2, -0.5)].map((data) => ({ x: { data, dims: [3] } }));
    const build = await buildVariant(model, 'int8-static', { feeds, description: 'two rows' });
    const { graph } = decodeModel(build.bytes);
    expect(graph.node?.map((n) => `${n.opType}(${n.input?.join(',')})`)).toEqual([
      'MatMul(K,x)',
      'QuantizeLinear(a,a_scale,a_zero_point)',
      'DequantizeLinear(a_quantized,a_scale,a_zero_point)',
      'DequantizeLinear(W3_quantized,W3_scale,W3_zero_point)',
      'MatMul(a_dequantized,W3_dequantized)',
    ]);
    const scale = graph.initializer?.find((t) => t.name === 'W3_scale');
    expect(scale?.dims).toEqual([]);
    expect(rawValues(scale)).toEqual([Math.fround(2 / 127)]);
    const comparison = compareOutputs(await runModel(model, feeds), await runModel(build.bytes, feeds));
    expect(comparison.meanRelativeDiff).toBeLessThanOrEqual(INT8_MAX_MEAN_RELATIVE_DIFF);
  });
});

describe('int8-dynamic Gemm', () => {
  it('folds alpha, beta and transB into MatMulInteger -> Cast -> Mul -> Add and computes the same', async () => {
    const weights = Float32Array.of(1, 0.5, -2, 0.25, 3, -1); // [N=2, K=3], used with transB = 1
    const model = tinyModel({
      nodes: [
        op('Gemm', ['x', 'B', 'C'], ['out'], [
          { name: 'transB', type: 2, i: 1 },
          { name: 'alpha', type: 1, f: 0.5 },
          { name: 'beta', type: 1, f: 2 },
        ]),
      ],
      initializers: [float32Tensor('B', [2, 3], weights), float32Tensor('C', [2], Float32Array.of(0.1, -0.2))],
      inputs: [floatInfo('x', ['batch', 3])],
      outputs: [floatInfo('out', ['batch', 2])],
    });
    const build = await buildVariant(model, 'int8-dynamic');
    expect(decodeModel(build.bytes).graph.node?.map((n) => n.opType)).toEqual(['DynamicQuantizeLinear', 'MatMulInteger', 'Cast', 'Mul', 'Mul', 'Add']);
    const x = Float32Array.of(1, -1, 0.5);
    const session = await ort.InferenceSession.create(build.bytes);
    const out = [...((await session.run({ x: new ort.Tensor('float32', x, [1, 3]) }))['out']!.data as Float32Array)];
    await session.release();
    // 0.5 * (x . B[n]) + 2 * C[n] = [0.5 * -0.5 + 0.2, 0.5 * -3.25 - 0.4]; x is quantized in steps
    // of 2/255, the weights in steps of max|B[n]|/127, so each output may be off by about 0.01.
    const expected = [-0.05, -2.025];
    expect(out.map((value, n) => Math.abs(value - expected[n]!) < 0.02)).toEqual([true, true]);
  });
});

describe('what the variants refuse', () => {
  it('int8-static without calibration samples', async () => {
    await expect(buildVariant(matMulRelu, 'int8-static')).rejects.toThrow(new UserError('config', 'int8-static needs calibration samples'));
  });

  it('int8-static below opset 13 (per-axis DequantizeLinear)', async () => {
    const old = tinyModel({ nodes: [op('Relu', ['x'], ['y'])], inputs: [floatInfo('x', [2])], outputs: [floatInfo('y', [2])], opset: 12 });
    await expect(buildVariant(old, 'int8-static', { feeds: [], description: '' })).rejects.toThrow(
      'int8-static needs ONNX opset 13 or later; the fp32 model imports opset 12',
    );
  });

  it('bytes that are not an ONNX model', async () => {
    await expect(buildVariant(new TextEncoder().encode('not a model'), 'fp16')).rejects.toThrow(UserError);
  });

  it('a graph with subgraphs', async () => {
    const branch = { name: 'branch', node: [], output: [floatInfo('x', [2])] };
    const model = tinyModel({
      nodes: [op('If', ['cond'], ['y'], [{ name: 'then_branch', type: 5, g: branch }, { name: 'else_branch', type: 5, g: branch }])],
      inputs: [floatInfo('x', [2]), { name: 'cond', type: { tensorType: { elemType: ElemType.BOOL, shape: { dim: [] } } } }],
      outputs: [floatInfo('y', [2])],
    });
    await expect(buildVariant(model, 'int8-dynamic')).rejects.toThrow('node y (If) has a subgraph; precision variants support only flat graphs');
  });
});
