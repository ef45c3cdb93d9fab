/** Reshape, Flatten, Transpose and Concat. Shapes and axes are folded into constants here. */

import { type ConversionContext, type Layout, TO_NCHW } from '../context.js';
import { type Dim, isKnown, knownProduct, normalizeAxis, symbolsOf } from '../dims.js';
import { intAttribute, intsAttribute, unsupported } from '../onnx-attributes.js';
import { constantInts } from '../onnx-graph.js';
import { attr } from '../tf-graph.js';
import type { OpConverter } from './op-converter.js';

/**
 * The size ONNX's -1 stands for: the input's size over the rest of the output.
 * Run-time sizes are symbols; when the output keeps every symbol of the input
 * the -1 is a number, when it drops exactly one (and the numbers match) it is
 * that symbol, and otherwise a new one.
 */
function inferredDim(input: readonly Dim[], rest: readonly Dim[], ctx: ConversionContext): Dim {
  const left = symbolsOf(input);
  for (const symbol of symbolsOf(rest)) {
    const at = left.indexOf(symbol);
    if (at === -1) return ctx.freshSymbol();
    left.splice(at, 1);
  }
  const numeric = knownProduct(input) / knownProduct(rest);
  if (left.length === 0 && Number.isInteger(numeric)) return numeric;
  if (left.length === 1 && numeric === 1) return left[0]!;
  return ctx.freshSymbol();
}

export const convertReshape: OpConverter = (node, ctx) => {
  const shape = ctx.requireConstant(node, 1, 'shape');
  const allowZero = intAttribute(node, 'allowzero', 0) === 1;
  const input = ctx.dimsOf(node, 0);
  const requested = constantInts(shape, `Reshape '${node.label}' shape`);
  if (allowZero && requested.includes(0)) throw unsupported(node, 'allowzero 1 with a 0 in the shape');
  if (requested.filter((d) => d === -1).length > 1) throw unsupported(node, 'more than one -1 in the shape');
  const copied = requested.map((d, i): Dim | null => (d === 0 ? input[i]! : d === -1 ? null : d));
  const rest = copied.filter((d): d is Dim => d !== null);
  const dims = copied.map((d) => d ?? inferredDim(input, rest, ctx));
  const output = node.outputs[0]!;
  ctx.define(output, ctx.reshape(output, ctx.inputInOnnxMemoryOrder(node, 0), dims, 'onnx', node));
};

/** A product of dims: a number, the one symbol among ones, or a new symbol. */
function productDim(dims: readonly Dim[], ctx: ConversionContext): Dim {
  const symbols = symbolsOf(dims);
  if (symbols.length === 0) return knownProduct(dims);
  return symbols.length === 1 && knownProduct(dims) === 1 ? symbols[0]! : ctx.freshSymbol();
}

export const convertFlatten: OpConverter = (node, ctx) => {
  const input = ctx.dimsOf(node, 0);
  const axis = normalizeAxis(intAttribute(node, 'axis', 1), input.length);
  const dims = [productDim(input.slice(0, axis), ctx), productDim(input.slice(axis), ctx)];
  const output = node.outputs[0]!;
  ctx.define(output, ctx.reshape(output, ctx.inputInOnnxMemoryOrder(node, 0), dims, 'onnx', node));
};

/** On an NHWC input the permutation is composed with the layout's, so no extra Transpose is needed. */
export const convertTranspose: OpConverter = (node, ctx) => {
  const input = ctx.dimsOf(node, 0);
  const perm = intsAttribute(node, 'perm') ?? input.map((_, i) => input.length - 1 - i);
  const layout: Layout = ctx.storedLayout(node, 0) === 'nhwc' ? 'nhwc' : 'onnx';
  const x = ctx.input(node, 0, layout);
  const tfPerm = layout === 'nhwc' ? perm.map((axis) => TO_NCHW[axis]!) : perm;
  const output = node.outputs[0]!;
  const tfName = ctx.tf.op(output, 'Transpose', [x.tfName, ctx.tf.ints(`${output}/perm`, tfPerm)]);
  ctx.define(output, { tfName, dtype: x.dtype, dims: perm.map((axis) => input[axis]!), layout: 'onnx' });
};

export const convertConcat: OpConverter = (node, ctx) => {
  const indices = node.inputs.map((_, i) => i).filter((i) => ctx.hasInput(node, i));
  const stored = indices.map((i) => ctx.storedLayout(node, i));
  const layout: Layout = stored.includes('nhwc') && !stored.includes('onnx') ? 'nhwc' : 'onnx';
  const values = indices.map((i) => ctx.input(node, i, layout));
  const first = values[0]!;
  if (values.some((v) => v.dtype !== first.dtype || v.dims.length !== first.dims.length)) throw unsupported(node, 'inputs of different types or ranks');
  const axis = normalizeAxis(intAttribute(node, 'axis', Number.NaN), first.dims.length);
  if (!(axis >= 0 && axis < first.dims.length)) throw unsupported(node, 'a missing or out-of-range axis');
  const sizes = values.map((v) => v.dims[axis]!);
  const dims = first.dims.map((d, i) => (i !== axis ? d : sizes.every(isKnown) ? sizes.reduce((s, n) => s + n, 0) : ctx.freshSymbol()));
  const output = node.outputs[0]!;
  const tfAxis = ctx.tf.scalarInt(`${output}/axis`, layout === 'nhwc' ? TO_NCHW[axis]! : axis);
  const tfName = ctx.tf.op(output, 'ConcatV2', [...values.map((v) => v.tfName), tfAxis], { N: attr.int(values.length) });
  ctx.define(output, { tfName, dtype: first.dtype, dims, layout });
};
