import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { buildVariant } from '../../src/precision/build-variant.js';
import { decodeModel, ElemType } from '../../src/precision/onnx/proto.js';
import { float32Tensor } from '../../src/precision/onnx/tensors.js';
import { floatInfo, op, stringAttribute, tensorInfo, tinyModel } from './helpers/tiny-model.js';
import { buildTransformerOpsModel } from './helpers/transformer-ops-model.js';

async function runOne(bytes: Uint8Array, name: string, tensor: ort.Tensor): Promise<number[]> {
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run({ [name]: tensor });
  await session.release();
  const output = session.outputNames[0]!;
  return [...(result[output]!.data as Float32Array)];
}

describe('fp16: which tensors change precision', () => {
  it('keeps an op without a handled float16 form in float32, with Casts around it, and names it', async () => {
    const model = tinyModel({
      nodes: [op('Einsum', ['x'], ['y'], [stringAttribute('equation', 'ij->ji')]), op('Relu', ['y'], ['out'])],
      inputs: [floatInfo('x', [2, 3])],
      outputs: [floatInfo('out', [3, 2])],
      valueInfo: [floatInfo('y', [3, 2])],
    });
    const build = await buildVariant(model, 'fp16');
    const nodes = decodeModel(build.bytes).graph.node ?? [];
    expect(nodes.map((n) => `${n.opType}(${n.input?.join(',')})->${n.output?.join(',')}`)).toEqual([
      'Einsum(x)->y',
      'Cast(y)->y_fp16',
      'Relu(y_fp16)->out_fp16',
      'Cast(out_fp16)->out',
    ]);
    expect(build.notes).toContain('float32 (no float16 form handled): Einsum');
    const out = await runOne(build.bytes, 'x', new ort.Tensor('float32', Float32Array.of(1, -2, 3, -4, 5, -6), [2, 3]));
    expect(out).toEqual([1, 0, 0, 5, 3, 0]);
  });

  it('asks for value_info when an unknown op\'s output type cannot be told', async () => {
    const model = tinyModel({
      nodes: [op('Einsum', ['x'], ['y'], [stringAttribute('equation', 'ij->ji')]), op('Relu', ['y'], ['out'])],
      inputs: [floatInfo('x', [2, 3])],
      outputs: [floatInfo('out', [3, 2])],
    });
    await expect(buildVariant(model, 'fp16')).rejects.toThrow(
      new UserError('model', "cannot tell the element type of y, output 0 of y (Einsum): declare it in the graph's value_info"),
    );
  });

  it('turns a Cast to float32 into a Cast to float16 and computes after it in float16', async () => {
    const model = tinyModel({
      nodes: [op('Cast', ['ids'], ['as_float'], [{ name: 'to', type: 2, i: ElemType.FLOAT }]), op('Mul', ['as_float', 'w'], ['out'])],
      initializers: [float32Tensor('w', [2], Float32Array.of(0.5, -3))],
      inputs: [tensorInfo('ids', ElemType.INT32, [2])],
      outputs: [floatInfo('out', [2])],
    });
    const build = await buildVariant(model, 'fp16');
    const { graph } = decodeModel(build.bytes);
    expect(graph.node?.map((n) => n.opType)).toEqual(['Cast', 'Mul', 'Cast']);
    expect(Number(graph.node?.[0]?.attribute?.[0]?.i)).toBe(ElemType.FLOAT16);
    expect(graph.initializer?.map((t) => t.dataType)).toEqual([ElemType.FLOAT16]);
    expect(await runOne(build.bytes, 'ids', new ort.Tensor('int32', Int32Array.of(7, 2), [2]))).toEqual([3.5, -6]);
  });

  it('clamps weights beyond the float16 range to +-65504 and says how many', async () => {
    const model = tinyModel({
      nodes: [op('Mul', ['x', 'w'], ['out'])],
      initializers: [float32Tensor('w', [3], Float32Array.of(1e5, -1e6, 2))],
      inputs: [floatInfo('x', [3])],
      outputs: [floatInfo('out', [3])],
    });
    const build = await buildVariant(model, 'fp16');
    expect(build.notes).toContain('2 weight values beyond the float16 range clamped to +-65504');
    expect(await runOne(build.bytes, 'x', new ort.Tensor('float32', Float32Array.of(1, 1, 1), [3]))).toEqual([65504, -65504, 2]);
  });

  it('leaves integer tensors of the transformer alone: int32 ids, int64 shapes', async () => {
    const { graph } = decodeModel((await buildVariant(buildTransformerOpsModel(3), 'fp16')).bytes);
    const types = new Map(graph.initializer?.map((t) => [t.name, t.dataType]));
    expect(types.get('embedding')).toBe(ElemType.FLOAT16);
    expect(types.get('split_heads')).toBe(ElemType.INT64);
    expect(types.get('slice_axes')).toBe(ElemType.INT64);
    expect(graph.input?.map((i) => i.type?.tensorType?.elemType)).toEqual([ElemType.INT32]);
    expect(graph.output?.map((o) => o.type?.tensorType?.elemType)).toEqual([ElemType.FLOAT]);
    expect(graph.node?.[0]).toMatchObject({ opType: 'Gather', input: ['embedding', 'tokens'] });
  });
});
