/**
 * A small transformer encoder built from exactly the ops the built-in tokens-transformer uses
 * (Gather on int32 ids, Add, Sub, Mul, Div, MatMul, Gemm, Reshape, Transpose, Softmax,
 * LayerNormalization, Erf, ReduceMean, Sqrt, Pow, Concat, Slice), with random weights from a
 * seeded RNG. It proves the precision transforms on that op set without the trained model.
 */

import type { SampleFeeds } from '../../../src/backends/types.js';
import { type AttributeProto, AttributeType, ElemType, encodeModel, type NodeProto, type TensorProto } from '../../../src/precision/onnx/proto.js';
import { float32Tensor, int64Tensor } from '../../../src/precision/onnx/tensors.js';
import { createRng } from '../../../src/workloads/shapes/dataset.js';

export const SYNTHETIC_VOCAB = 24;
export const SYNTHETIC_POSITIONS = 8;
export const SYNTHETIC_CLASSES = 4;
const WIDTH = 16;
const HEADS = 2;
const HIDDEN = 32;

const ints = (name: string, values: readonly number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: [...values] });
const int = (name: string, value: number): AttributeProto => ({ name, type: AttributeType.INT, i: value });
const float = (name: string, value: number): AttributeProto => ({ name, type: AttributeType.FLOAT, f: value });
const op = (opType: string, input: string[], output: string[], attribute: AttributeProto[] = []): NodeProto => ({
  opType,
  name: output[0],
  input,
  output,
  attribute,
});

export function buildTransformerOpsModel(seed: number): Uint8Array {
  const random = createRng(seed);
  const initializers: TensorProto[] = [];
  const weight = (name: string, dims: number[], scale: number, offset = 0): string => {
    const count = dims.reduce((a, b) => a * b, 1);
    initializers.push(float32Tensor(name, dims, Float32Array.from({ length: count }, () => offset + (random() * 2 - 1) * scale)));
    return name;
  };
  const constant = (name: string, value: number): string => {
    initializers.push(float32Tensor(name, [], Float32Array.of(value)));
    return name;
  };
  const shape = (name: string, values: number[]): string => {
    initializers.push(int64Tensor(name, [values.length], values));
    return name;
  };
  const nodes: NodeProto[] = [];
  const linear = (name: string, input: string, inWidth: number, outWidth: number): string => {
    nodes.push(
      op('MatMul', [input, weight(`${name}.weight`, [inWidth, outWidth], 1 / Math.sqrt(inWidth))], [`${name}.product`]),
      op('Add', [`${name}.product`, weight(`${name}.bias`, [outWidth], 0.1)], [`${name}.out`]),
    );
    return `${name}.out`;
  };
  const splitHeads = shape('split_heads', [0, 0, HEADS, WIDTH / HEADS]);

  nodes.push(
    op('Gather', [weight('embedding', [SYNTHETIC_VOCAB, WIDTH], 1), 'tokens'], ['embedded']),
    op('Add', ['embedded', weight('positions', [SYNTHETIC_POSITIONS, WIDTH], 0.5)], ['x0']),
    op('LayerNormalization', ['x0', weight('ln1.scale', [WIDTH], 0.2, 1), weight('ln1.bias', [WIDTH], 0.1)], ['h'], [int('axis', -1), float('epsilon', 1e-5)]),
  );
  const heads = (name: string, perm: number[]): string => {
    nodes.push(
      op('Reshape', [linear(name, 'h', WIDTH, WIDTH), splitHeads], [`${name}.split`]),
      op('Transpose', [`${name}.split`], [`${name}.heads`], [ints('perm', perm)]),
    );
    return `${name}.heads`;
  };
  const q = heads('q', [0, 2, 1, 3]);
  const kT = heads('k', [0, 2, 3, 1]);
  const v = heads('v', [0, 2, 1, 3]);
  nodes.push(
    op('MatMul', [q, kT], ['scores']),
    op('Div', ['scores', constant('sqrt_head_width', Math.sqrt(WIDTH / HEADS))], ['scaled_scores']),
    op('Softmax', ['scaled_scores'], ['attention'], [int('axis', -1)]),
    op('MatMul', ['attention', v], ['mixed_heads']),
    op('Transpose', ['mixed_heads'], ['mixed_split'], [ints('perm', [0, 2, 1, 3])]),
    op('Reshape', ['mixed_split', shape('join_heads', [0, 0, WIDTH])], ['mixed']),
  );
  nodes.push(op('Add', ['x0', linear('o', 'mixed', WIDTH, WIDTH)], ['x1']));
  // Layer norm written out (ReduceMean, Sub, Pow, Sqrt, Div) as exporters often leave it.
  nodes.push(
    op('ReduceMean', ['x1'], ['mean'], [ints('axes', [-1])]),
    op('Sub', ['x1', 'mean'], ['centred']),
    op('Pow', ['centred', constant('two', 2)], ['squared']),
    op('ReduceMean', ['squared'], ['variance'], [ints('axes', [-1])]),
    op('Add', ['variance', constant('epsilon', 1e-5)], ['variance_eps']),
    op('Sqrt', ['variance_eps'], ['deviation']),
    op('Div', ['centred', 'deviation'], ['normalized']),
    op('Mul', ['normalized', weight('ln2.scale', [WIDTH], 0.2, 1)], ['ln2.scaled']),
    op('Add', ['ln2.scaled', weight('ln2.bias', [WIDTH], 0.1)], ['h2']),
  );
  const hidden = linear('ff1', 'h2', WIDTH, HIDDEN);
  nodes.push(
    op('Div', [hidden, constant('sqrt_two', Math.SQRT2)], ['gelu.scaled']),
    op('Erf', ['gelu.scaled'], ['gelu.erf']),
    op('Add', ['gelu.erf', constant('one', 1)], ['gelu.erf_plus_one']),
    op('Mul', [hidden, constant('half', 0.5)], ['gelu.half']),
    op('Mul', ['gelu.half', 'gelu.erf_plus_one'], ['gelu']),
  );
  nodes.push(op('Add', ['x1', linear('ff2', 'gelu', HIDDEN, WIDTH)], ['x2']));
  // Pool: the first position and the mean over positions, side by side.
  nodes.push(
    op('Slice', ['x2', shape('slice_starts', [0]), shape('slice_ends', [1]), shape('slice_axes', [1])], ['first']),
    op('ReduceMean', ['x2'], ['average'], [ints('axes', [1])]),
    op('Concat', ['first', 'average'], ['pooled3d'], [int('axis', 2)]),
    op('Reshape', ['pooled3d', shape('flatten_pooled', [0, 2 * WIDTH])], ['pooled']),
    op('Gemm', ['pooled', weight('classifier.weight', [SYNTHETIC_CLASSES, 2 * WIDTH], 1 / Math.sqrt(2 * WIDTH)), weight('classifier.bias', [SYNTHETIC_CLASSES], 0.1)], ['logits'], [int('transB', 1)]),
  );

  const info = (name: string, elemType: number, dims: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  });
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'mlbench-test',
    graph: {
      name: 'transformer_ops',
      node: nodes,
      initializer: initializers,
      input: [info('tokens', ElemType.INT32, ['batch', SYNTHETIC_POSITIONS])],
      output: [info('logits', ElemType.FLOAT, ['batch', SYNTHETIC_CLASSES])],
    },
  });
}

/** `count` token sequences drawn from the seeded RNG. */
export function syntheticTokenFeeds(seed: number, count: number): SampleFeeds[] {
  const random = createRng(seed);
  return Array.from({ length: count }, () => ({
    tokens: { data: Int32Array.from({ length: SYNTHETIC_POSITIONS }, () => Math.floor(random() * SYNTHETIC_VOCAB)), dims: [SYNTHETIC_POSITIONS] },
  }));
}
