/**
 * Synthetic models for converter parity tests: one with the transformer op set
 * (the built-in encoder's ops and more), one with the conv/pool variants and
 * NHWC layout cases shapes-cnn does not reach.
 */

import { float, int, ints, OnnxModelBuilder } from './onnx-builder.js';

export const TRANSFORMER_SEQUENCE = 8;
export const TRANSFORMER_VOCABULARY = 16;
const WIDTH = 8;
const HEADS = 2;
const HEAD_WIDTH = WIDTH / HEADS;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** ids [batch, 8] (int32, or int64 as PyTorch exports them) -> logits [batch, 4] and pooled [batch, 8]. */
export function buildTransformerOnnx(seed: number, idsType: 'int32' | 'int64' = 'int32'): Uint8Array {
  const m = new OnnxModelBuilder(seed);
  const linear = (x: string, name: string, inWidth: number, outWidth: number) =>
    m.node('Add', [m.node('MatMul', [x, m.random(`${name}.weight`, [inWidth, outWidth])], `${name}.matmul`), m.random(`${name}.bias`, [outWidth], 0.1)], name);
  const emb = m.node('Gather', [m.random('token_embedding', [TRANSFORMER_VOCABULARY, WIDTH], 1), 'ids'], 'embedded', [int('axis', 0)]);
  const x = m.node('Add', [emb, m.random('position_embedding', [TRANSFORMER_SEQUENCE, WIDTH], 1)], 'x');
  const normed = m.node('LayerNormalization', [x, m.random('ln.scale', [WIDTH], 1), m.random('ln.bias', [WIDTH], 0.1)], 'ln', [int('axis', -1), float('epsilon', 1e-5)]);
  const heads = m.int64s('heads_shape', [0, 0, HEADS, HEAD_WIDTH]);
  const split = (name: string, perm: number[]) => m.node('Transpose', [m.node('Reshape', [linear(normed, name, WIDTH, WIDTH), heads], `${name}.heads`)], `${name}.t`, [ints('perm', perm)]);
  const q = split('query', [0, 2, 1, 3]);
  const kT = split('key', [0, 2, 3, 1]);
  const v = split('value', [0, 2, 1, 3]);
  const scores = m.node('Div', [m.node('MatMul', [q, kT], 'qk'), m.floats('scale', [], [Math.sqrt(HEAD_WIDTH)])], 'scores');
  const attention = m.node('Softmax', [scores], 'attention', [int('axis', -1)]);
  const context = m.node('Transpose', [m.node('MatMul', [attention, v], 'context.heads')], 'context.t', [ints('perm', [0, 2, 1, 3])]);
  const merged = m.node('Reshape', [context, m.int64s('merge_shape', [0, 0, -1])], 'merged');
  const residual = m.node('Add', [x, merged], 'residual');
  // GELU with Erf: 0.5 h (1 + erf(h / sqrt 2)).
  const h = linear(residual, 'ff1', WIDTH, 2 * WIDTH);
  const erf = m.node('Erf', [m.node('Div', [h, m.floats('sqrt2', [], [Math.SQRT2])], 'h_scaled')], 'erf');
  const gelu = m.node('Mul', [m.node('Mul', [h, m.floats('half', [], [0.5])], 'h_half'), m.node('Add', [erf, m.floats('one', [], [1])], 'erf1')], 'gelu');
  const y = m.node('Add', [residual, linear(gelu, 'ff2', 2 * WIDTH, WIDTH)], 'y');
  // RMS norm from Pow, ReduceMean, Sqrt, then centring with Sub.
  const meanSquare = m.node('ReduceMean', [m.node('Pow', [y, m.floats('two', [], [2])], 'y2')], 'ms', [ints('axes', [-1]), int('keepdims', 1)]);
  const rms = m.node('Sqrt', [m.node('Add', [meanSquare, m.floats('eps', [], [1e-6])], 'ms_eps')], 'rms');
  const yn = m.node('Div', [y, rms], 'yn');
  const yc = m.node('Sub', [yn, m.node('ReduceMean', [yn], 'yn_mean', [ints('axes', [2])])], 'yc');
  // Slices: the first position, the last (end INT64_MAX), every other one backwards (end INT64_MIN, step -2).
  const slice = (name: string, starts: bigint[], ends: bigint[], steps?: bigint[]) =>
    m.node('Slice', [yc, m.int64s(`${name}.starts`, starts), m.int64s(`${name}.ends`, ends), m.int64s(`${name}.axes`, [1]), ...(steps ? [m.int64s(`${name}.steps`, steps)] : [])], name);
  const picked = m.node(
    'Concat',
    [slice('first', [0n], [1n]), slice('last', [-1n], [INT64_MAX]), slice('odd_backwards', [-1n], [INT64_MIN], [-2n])],
    'picked',
    [int('axis', 1)],
  );
  const flat = m.node('Reshape', [picked, m.int64s('flat_shape', [0, -1])], 'flat');
  m.node('Gemm', [flat, m.random('classifier.weight', [4, 6 * WIDTH]), m.random('classifier.bias', [4], 0.1)], 'logits', [int('transB', 1)]);
  m.node('ReduceMean', [picked], 'pooled', [ints('axes', [1]), int('keepdims', 0)]);
  return m.build([{ name: 'ids', type: idsType, dims: ['batch', TRANSFORMER_SEQUENCE] }], ['logits', 'pooled']);
}

export const CONV_INPUT_DIMS = [2, 9, 9] as const;

/**
 * image [batch, 2, 9, 9]: a strided conv with asymmetric pads (explicit TF
 * padding) and no bias, a separate Relu, a SAME max pool, elementwise ops with
 * a per-channel constant and a scalar (in NHWC), a Transpose of an NHWC value,
 * a Gemm with alpha, beta and a constant untransposed B, an NHWC graph output.
 */
export function buildConvVariantsOnnx(seed: number): Uint8Array {
  const m = new OnnxModelBuilder(seed);
  const conv = m.node('Conv', ['image', m.random('conv.weight', [4, 2, 3, 3])], 'conv', [ints('strides', [2, 2]), ints('pads', [0, 1, 1, 0])]);
  const relu = m.node('Relu', [conv], 'relu');
  const pool = m.node('MaxPool', [relu], 'pool', [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1])]);
  const shifted = m.node('Add', [pool, m.random('channel_shift', [4, 1, 1])], 'shifted');
  const scaled = m.node('Mul', [shifted, m.floats('gain', [], [1.5])], 'scaled');
  const biasedConv = m.node('Conv', [scaled, m.random('conv2.weight', [3, 4, 3, 3]), m.random('conv2.bias', [3], 0.1)], 'conv2', [ints('pads', [1, 1, 1, 1])]);
  // [batch, 3, 4, 4] -> [batch, 4, 4, 3]: TF composes this with the NHWC layout.
  const moved = m.node('Transpose', [biasedConv], 'moved', [ints('perm', [0, 2, 3, 1])]);
  const flat = m.node('Flatten', [moved], 'flat', [int('axis', 1)]);
  m.node('Gemm', [flat, m.random('head.weight', [48, 5]), m.random('head.bias', [5], 0.1)], 'scores', [float('alpha', 0.5), float('beta', 2)]);
  const gap = m.node('GlobalAveragePool', [scaled], 'gap');
  m.node('Flatten', [gap], 'channels', [int('axis', 1)]);
  // 'shifted' is stored NHWC: as a graph output it goes back to NCHW.
  return m.build([{ name: 'image', type: 'float32', dims: ['batch', ...CONV_INPUT_DIMS] }], ['scores', 'channels', 'shifted']);
}
