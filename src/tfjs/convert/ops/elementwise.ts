/** Elementwise ops. They work in either layout, so an NHWC value stays NHWC through them. */

import type { Layout } from '../context.js';
import { broadcastDims } from '../dims.js';
import { unsupported } from '../onnx-attributes.js';
import type { OpConverter } from './op-converter.js';

/**
 * A binary op with numpy broadcasting. NHWC when an input is NHWC and every
 * other input is NHWC too, a constant (transposed once at conversion) or a
 * single element; otherwise ONNX layout.
 */
function binary(tfOp: string, floatOnly = false): OpConverter {
  return (node, ctx) => {
    const stored = [0, 1].map((i) => ctx.storedLayout(node, i));
    const dims = [0, 1].map((i) => ctx.dimsOf(node, i));
    const neutral = (i: number) => stored[i] !== 'onnx' || dims[i]!.every((d) => d === 1);
    const layout: Layout = stored.includes('nhwc') && neutral(0) && neutral(1) ? 'nhwc' : 'onnx';
    const a = ctx.input(node, 0, layout);
    const b = ctx.input(node, 1, layout);
    if (a.dtype !== b.dtype) throw unsupported(node, `mixing ${a.dtype} and ${b.dtype} inputs`);
    if (floatOnly && a.dtype !== 'float32') throw unsupported(node, `${a.dtype} inputs`);
    const output = node.outputs[0]!;
    ctx.define(output, { tfName: ctx.tf.op(output, tfOp, [a.tfName, b.tfName]), dtype: a.dtype, dims: broadcastDims(dims), layout });
  };
}

function unary(tfOp: string): OpConverter {
  return (node, ctx) => {
    const x = ctx.input(node, 0, ctx.storedLayout(node, 0) === 'nhwc' ? 'nhwc' : 'onnx');
    if (x.dtype !== 'float32') throw unsupported(node, `${x.dtype} input`);
    const output = node.outputs[0]!;
    ctx.define(output, { ...x, tfName: ctx.tf.op(output, tfOp, [x.tfName]) });
  };
}

export const convertAdd = binary('AddV2');
export const convertSub = binary('Sub');
export const convertMul = binary('Mul');
/** ONNX integer Div truncates; TF RealDiv does not: float only. */
export const convertDiv = binary('RealDiv', true);
export const convertPow = binary('Pow', true);
export const convertRelu = unary('Relu');
export const convertErf = unary('Erf');
export const convertSqrt = unary('Sqrt');
