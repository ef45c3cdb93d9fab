/** Slice (constant bounds) and Gather. */

import { type Dim, isKnown, normalizeAxis } from '../dims.js';
import { intAttribute, unsupported } from '../onnx-attributes.js';
import { constantBigInts, constantInts } from '../onnx-graph.js';
import { attr } from '../tf-graph.js';
import type { OpConverter } from './op-converter.js';

const INT32_MAX = 2n ** 31n - 1n;
const INT32_MIN = -(2n ** 31n);

function clamp(value: bigint, low: bigint, high: bigint): bigint {
  return value < low ? low : value > high ? high : value;
}

interface AxisSlice {
  begin: number;
  end: number;
  /** Slice from the first element in step direction: TF begin_mask. */
  fromEdge: boolean;
  /** Slice through the last element in step direction: TF end_mask. */
  toEdge: boolean;
  size: Dim;
}

/** ONNX clamps bounds to the axis; with the size known we do it here and pass exact numbers. */
function knownAxisSlice(size: number, start: bigint, end: bigint, step: bigint): AxisSlice {
  const d = BigInt(size);
  let s = start < 0n ? start + d : start;
  let e = end < 0n ? end + d : end;
  if (step > 0n) {
    s = clamp(s, 0n, d);
    e = clamp(e, 0n, d);
  } else {
    s = clamp(s, 0n, d - 1n);
    e = clamp(e, -1n, d - 1n);
  }
  const count = Math.max(0, Math.ceil(Number(e - s) / Number(step)));
  // A negative step running past index 0 ends at -1, which TF would read as the last index: use end_mask.
  return { begin: Number(s), end: e === -1n ? 0 : Number(e), fromEdge: false, toEdge: e === -1n, size: count };
}

/** With a run-time size TF's clamping matches ONNX's; bounds beyond int32 (INT64_MAX, INT64_MIN) mean "to the edge". */
function dynamicAxisSlice(size: Dim, start: bigint, end: bigint, step: bigint, fresh: () => string): AxisSlice {
  const forward = step > 0n;
  const fromEdge = forward ? start <= INT32_MIN : start >= INT32_MAX;
  const toEdge = forward ? end >= INT32_MAX : end <= INT32_MIN;
  const whole = step === 1n && (fromEdge || start === 0n) && toEdge;
  return {
    begin: fromEdge ? 0 : Number(clamp(start, INT32_MIN, INT32_MAX)),
    end: toEdge ? 0 : Number(clamp(end, INT32_MIN, INT32_MAX)),
    fromEdge,
    toEdge,
    size: whole ? size : fresh(),
  };
}

export const convertSlice: OpConverter = (node, ctx) => {
  const dims = ctx.dimsOf(node, 0);
  const rank = dims.length;
  const starts = constantBigInts(ctx.requireConstant(node, 1, 'starts'), `Slice '${node.label}' starts`);
  const ends = constantBigInts(ctx.requireConstant(node, 2, 'ends'), `Slice '${node.label}' ends`);
  const axes = ctx.hasInput(node, 3) ? constantInts(ctx.requireConstant(node, 3, 'axes'), `Slice '${node.label}' axes`) : starts.map((_, i) => i);
  const steps = ctx.hasInput(node, 4) ? constantBigInts(ctx.requireConstant(node, 4, 'steps'), `Slice '${node.label}' steps`) : starts.map(() => 1n);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) throw unsupported(node, 'starts, ends, axes and steps of different lengths');
  const begin = new Array<number>(rank).fill(0);
  const end = new Array<number>(rank).fill(0);
  const strides = new Array<number>(rank).fill(1);
  const out = [...dims];
  // Axes not sliced take everything: both masks set.
  let beginMask = 2 ** rank - 1;
  let endMask = 2 ** rank - 1;
  starts.forEach((start, k) => {
    const axis = normalizeAxis(axes[k]!, rank);
    const step = steps[k]!;
    if (!(axis >= 0 && axis < rank) || step === 0n || step > INT32_MAX || step < INT32_MIN) throw unsupported(node, `axis ${axes[k]} with step ${step}`);
    const size = dims[axis]!;
    const slice = isKnown(size) ? knownAxisSlice(size, start, ends[k]!, step) : dynamicAxisSlice(size, start, ends[k]!, step, () => ctx.freshSymbol());
    begin[axis] = slice.begin;
    end[axis] = slice.end;
    strides[axis] = Number(step);
    if (!slice.fromEdge) beginMask &= ~(1 << axis);
    if (!slice.toEdge) endMask &= ~(1 << axis);
    out[axis] = slice.size;
  });
  const x = ctx.input(node, 0, 'onnx');
  const output = node.outputs[0]!;
  const tfName = ctx.tf.op(
    output,
    'StridedSlice',
    [x.tfName, ctx.tf.ints(`${output}/begin`, begin), ctx.tf.ints(`${output}/end`, end), ctx.tf.ints(`${output}/strides`, strides)],
    {
      begin_mask: attr.int(beginMask),
      end_mask: attr.int(endMask),
      ellipsis_mask: attr.int(0),
      new_axis_mask: attr.int(0),
      shrink_axis_mask: attr.int(0),
    },
  );
  ctx.define(output, { tfName, dtype: x.dtype, dims: out, layout: 'onnx' });
};

/** Gather along one axis; int32 index inputs stay int32, constant int64 indices become int32 (negative ones resolved here). */
export const convertGather: OpConverter = (node, ctx) => {
  const dataDims = ctx.dimsOf(node, 0);
  const axis = normalizeAxis(intAttribute(node, 'axis', 0), dataDims.length);
  if (!(axis >= 0 && axis < dataDims.length)) throw unsupported(node, `axis ${intAttribute(node, 'axis', 0)}`);
  const data = ctx.input(node, 0, 'onnx');
  const constant = ctx.constantInput(node, 1);
  let indices: { tfName: string; dims: readonly Dim[] };
  if (constant) {
    const size = dataDims[axis]!;
    const values = constantBigInts(constant, `Gather '${node.label}' indices`).map((v) => {
      if (v >= 0n) return Number(v);
      if (!isKnown(size)) throw unsupported(node, 'a negative constant index on an axis of run-time size');
      return Number(v) + size;
    });
    indices = { tfName: ctx.tf.constant(node.inputs[1]!, 'int32', constant.dims, Int32Array.from(values)), dims: constant.dims };
  } else {
    const value = ctx.input(node, 1, 'onnx');
    if (value.dtype !== 'int32') throw unsupported(node, `${value.dtype} indices`);
    indices = value;
  }
  const output = node.outputs[0]!;
  const tfName = ctx.tf.op(output, 'GatherV2', [data.tfName, indices.tfName, ctx.tf.scalarInt(`${output}/axis`, axis)], { batch_dims: attr.int(0) });
  const dims = [...dataDims.slice(0, axis), ...indices.dims, ...dataDims.slice(axis + 1)];
  ctx.define(output, { tfName, dtype: data.dtype, dims, layout: 'onnx' });
};
