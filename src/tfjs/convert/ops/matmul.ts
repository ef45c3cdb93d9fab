/** MatMul and Gemm. */

import { broadcastDims, type Dim, transposeValues } from '../dims.js';
import { floatAttribute, intAttribute, unsupported } from '../onnx-attributes.js';
import { attr } from '../tf-graph.js';
import type { OpConverter } from './op-converter.js';

/** numpy matmul for rank >= 2; TF.js broadcasts the leading (batch) dimensions, e.g. [B, S, K] x [K, N]. */
export const convertMatMul: OpConverter = (node, ctx) => {
  const a = ctx.input(node, 0, 'onnx');
  const b = ctx.input(node, 1, 'onnx');
  if (a.dims.length < 2 || b.dims.length < 2) throw unsupported(node, 'a 1-D operand');
  if (a.dtype !== 'float32' || b.dtype !== 'float32') throw unsupported(node, `${a.dtype} x ${b.dtype}`);
  const plain = a.dims.length === 2 && b.dims.length === 2;
  const dims = [...broadcastDims([a.dims.slice(0, -2), b.dims.slice(0, -2)]), a.dims.at(-2)!, b.dims.at(-1)!];
  const output = node.outputs[0]!;
  const tfName = plain
    ? ctx.tf.op(output, 'MatMul', [a.tfName, b.tfName], { transpose_a: attr.bool(false), transpose_b: attr.bool(false) })
    : ctx.tf.op(output, 'BatchMatMulV2', [a.tfName, b.tfName], { adj_x: attr.bool(false), adj_y: attr.bool(false) });
  ctx.define(output, { tfName, dtype: 'float32', dims, layout: 'onnx' });
};

function scaled(values: Float32Array, factor: number): Float32Array {
  return factor === 1 ? values : values.map((v) => v * factor);
}

/**
 * alpha * A' B' + beta * C. A constant B is stored already transposed and
 * scaled by alpha; a constant vector C (scaled by beta) becomes the bias of
 * one _FusedMatMul.
 */
export const convertGemm: OpConverter = (node, ctx) => {
  const transA = intAttribute(node, 'transA', 0) === 1;
  const transB = intAttribute(node, 'transB', 0) === 1;
  const alpha = floatAttribute(node, 'alpha', 1);
  const beta = floatAttribute(node, 'beta', 1);
  const a = ctx.input(node, 0, 'onnx');
  if (a.dims.length !== 2 || a.dtype !== 'float32') throw unsupported(node, `a ${a.dtype} A of rank ${a.dims.length}`);
  const output = node.outputs[0]!;
  const constantB = ctx.constantInput(node, 1);
  let bName: string;
  let n: Dim;
  let alphaLeft = alpha;
  if (constantB) {
    if (constantB.dims.length !== 2 || constantB.dtype !== 'float32') throw unsupported(node, `a ${constantB.dtype} B of rank ${constantB.dims.length}`);
    const [rows, cols] = constantB.dims as [number, number];
    const values = transB ? transposeValues(constantB.values as Float32Array, [rows, cols], [1, 0]) : (constantB.values as Float32Array);
    n = transB ? rows : cols;
    bName = ctx.tf.constant(`${node.inputs[1]}${transB ? '/kn' : ''}`, 'float32', transB ? [cols, rows] : [rows, cols], scaled(values, alpha));
    alphaLeft = 1;
  } else {
    const b = ctx.input(node, 1, 'onnx');
    if (b.dims.length !== 2) throw unsupported(node, `a B of rank ${b.dims.length}`);
    bName = b.tfName;
    n = transB ? b.dims[0]! : b.dims[1]!;
  }
  const transposeB = !constantB && transB;
  const dims = [transA ? a.dims[1]! : a.dims[0]!, n];
  const matmulAttrs = { transpose_a: attr.bool(transA), transpose_b: attr.bool(transposeB) };
  const constantC = ctx.hasInput(node, 2) ? ctx.constantInput(node, 2) : undefined;
  if (constantC && alphaLeft === 1 && constantC.dims.length <= 1 && constantC.values.length === n && constantC.dtype === 'float32') {
    const bias = ctx.tf.constant(`${node.inputs[2]}${beta === 1 ? '' : '/scaled'}`, 'float32', [n], scaled(constantC.values as Float32Array, beta));
    const tfName = ctx.tf.op(output, '_FusedMatMul', [a.tfName, bName, bias], {
      ...matmulAttrs,
      fused_ops: attr.strings(['BiasAdd']),
      num_args: attr.int(1),
      epsilon: attr.float(0),
    });
    ctx.define(output, { tfName, dtype: 'float32', dims, layout: 'onnx' });
    return;
  }
  const hasC = ctx.hasInput(node, 2);
  let product = ctx.tf.op(hasC || alphaLeft !== 1 ? `${output}/matmul` : output, 'MatMul', [a.tfName, bName], matmulAttrs);
  if (alphaLeft !== 1) {
    const factor = ctx.tf.constant(`${output}/alpha`, 'float32', [], Float32Array.of(alphaLeft));
    product = ctx.tf.op(hasC ? `${output}/scaled` : output, 'Mul', [product, factor]);
  }
  if (hasC) {
    let c = ctx.input(node, 2, 'onnx').tfName;
    if (beta !== 1) c = ctx.tf.op(`${output}/beta_c`, 'Mul', [c, ctx.tf.constant(`${output}/beta`, 'float32', [], Float32Array.of(beta))]);
    product = ctx.tf.op(output, 'AddV2', [product, c]);
  }
  ctx.define(output, { tfName: product, dtype: 'float32', dims, layout: 'onnx' });
};
