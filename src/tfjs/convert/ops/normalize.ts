/** Softmax, LayerNormalization and ReduceMean. */

import { type Layout, TO_NCHW, TO_NHWC } from '../context.js';
import { normalizeAxis } from '../dims.js';
import { floatAttribute, intAttribute, intsAttribute, unsupported } from '../onnx-attributes.js';
import { attr } from '../tf-graph.js';
import type { OpConverter } from './op-converter.js';

/** TF Softmax works on the last axis, which is the only one the converter accepts. */
export const convertSoftmax: OpConverter = (node, ctx) => {
  const rank = ctx.dimsOf(node, 0).length;
  const axis = normalizeAxis(intAttribute(node, 'axis', -1), rank);
  if (axis !== rank - 1) throw unsupported(node, `axis ${intAttribute(node, 'axis', -1)} (only the last axis)`);
  const x = ctx.input(node, 0, 'onnx');
  const output = node.outputs[0]!;
  ctx.define(output, { ...x, tfName: ctx.tf.op(output, 'Softmax', [x.tfName]) });
};

/**
 * Over the last axis, as the ONNX spec defines it: D = X - mean(X),
 * Y = D / sqrt(mean(D^2) + epsilon) * scale + bias.
 */
export const convertLayerNormalization: OpConverter = (node, ctx) => {
  const rank = ctx.dimsOf(node, 0).length;
  const axis = normalizeAxis(intAttribute(node, 'axis', -1), rank);
  if (axis !== rank - 1) throw unsupported(node, `axis ${intAttribute(node, 'axis', -1)} (only the last axis)`);
  const x = ctx.input(node, 0, 'onnx');
  if (x.dtype !== 'float32') throw unsupported(node, `a ${x.dtype} input`);
  const output = node.outputs[0]!;
  const g = ctx.tf;
  const axes = g.ints(`${output}/axes`, [axis]);
  const keep = { keep_dims: attr.bool(true) };
  const mean = g.op(`${output}/mean`, 'Mean', [x.tfName, axes], keep);
  const centred = g.op(`${output}/centred`, 'Sub', [x.tfName, mean]);
  const variance = g.op(`${output}/variance`, 'Mean', [g.op(`${output}/squared`, 'Square', [centred]), axes], keep);
  const epsilon = g.constant(`${output}/epsilon`, 'float32', [], Float32Array.of(floatAttribute(node, 'epsilon', 1e-5)));
  const deviation = g.op(`${output}/deviation`, 'Sqrt', [g.op(`${output}/variance_eps`, 'AddV2', [variance, epsilon])]);
  const normalized = g.op(`${output}/normalized`, 'RealDiv', [centred, deviation]);
  const hasBias = ctx.hasInput(node, 2);
  let y = g.op(hasBias ? `${output}/scaled` : output, 'Mul', [normalized, ctx.input(node, 1, 'onnx').tfName]);
  if (hasBias) y = g.op(output, 'AddV2', [y, ctx.input(node, 2, 'onnx').tfName]);
  ctx.define(output, { ...x, tfName: y });
};

/**
 * ReduceMean with the axes attribute (opset <= 17). On an NHWC input the axes
 * are remapped; the result stays NHWC when the kept axes are in the same
 * order in both layouts (always with keepdims).
 */
export const convertReduceMean: OpConverter = (node, ctx) => {
  const dims = ctx.dimsOf(node, 0);
  const rank = dims.length;
  const axes = (intsAttribute(node, 'axes') ?? dims.map((_, i) => i)).map((a) => normalizeAxis(a, rank));
  if (axes.some((a) => a < 0 || a >= rank)) throw unsupported(node, `axes [${intsAttribute(node, 'axes')?.join(', ')}]`);
  const keepDims = intAttribute(node, 'keepdims', 1) === 1;
  const kept = (order: readonly number[]) => order.filter((a) => !axes.includes(a)).join(',');
  const nhwcFits = keepDims || kept(TO_NHWC) === kept([0, 1, 2, 3]);
  const layout: Layout = ctx.storedLayout(node, 0) === 'nhwc' && nhwcFits ? 'nhwc' : 'onnx';
  const x = ctx.input(node, 0, layout);
  const output = node.outputs[0]!;
  const tfAxes = ctx.tf.ints(`${output}/axes`, layout === 'nhwc' ? axes.map((a) => TO_NCHW[a]!) : axes);
  const tfName = ctx.tf.op(output, 'Mean', [x.tfName, tfAxes], { keep_dims: attr.bool(keepDims) });
  const outDims = keepDims ? dims.map((d, i) => (axes.includes(i) ? 1 : d)) : dims.filter((_, i) => !axes.includes(i));
  ctx.define(output, { tfName, dtype: x.dtype, dims: outDims, layout: keepDims ? layout : 'onnx' });
};
