/**
 * ONNX Conv/MaxPool padding as TF padding: 'VALID', 'SAME' when the ONNX pads
 * are exactly what TF's SAME would add, else explicit pads (Conv2D only; TF.js
 * MaxPool has none).
 */

import { type Dim, isKnown } from '../dims.js';
import { intsAttribute, stringAttribute, unsupported } from '../onnx-attributes.js';
import type { OnnxNode } from '../onnx-graph.js';

export interface SpatialPadding {
  readonly padding: 'VALID' | 'SAME' | 'EXPLICIT';
  /** [top, bottom, left, right] */
  readonly pads: readonly number[];
  /** Output height and width. */
  readonly outDims: readonly Dim[];
}

export interface Window {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
}

/** TF SAME: output ceil(in / stride), the odd pixel of padding at the end. */
function samePads(inSize: number, window: Window, axis: number): [number, number] {
  const stride = window.strides[axis]!;
  const span = (window.kernel[axis]! - 1) * window.dilations[axis]! + 1;
  const total = Math.max((Math.ceil(inSize / stride) - 1) * stride + span - inSize, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** Whether pads equal SAME's for this axis: for stride 1 that does not depend on the input size. */
function isSame(inSize: Dim, window: Window, axis: number, begin: number, end: number): boolean {
  const size = isKnown(inSize) ? inSize : window.strides[axis] === 1 ? 1 : null;
  if (size === null) return false;
  const [b, e] = samePads(size, window, axis);
  return b === begin && e === end;
}

function outSize(inSize: Dim, window: Window, axis: number, begin: number, end: number, fresh: () => string): Dim {
  if (!isKnown(inSize)) return window.strides[axis] === 1 && isSame(inSize, window, axis, begin, end) ? inSize : fresh();
  const span = (window.kernel[axis]! - 1) * window.dilations[axis]! + 1;
  return Math.floor((inSize + begin + end - span) / window.strides[axis]!) + 1;
}

/** `spatial` is [height, width] of the input. */
export function spatialPadding(node: OnnxNode, spatial: readonly Dim[], window: Window, fresh: () => string): SpatialPadding {
  const autoPad = stringAttribute(node, 'auto_pad', 'NOTSET');
  let onnxPads: number[];
  if (autoPad === 'NOTSET') onnxPads = intsAttribute(node, 'pads') ?? [0, 0, 0, 0];
  else if (autoPad === 'VALID') onnxPads = [0, 0, 0, 0];
  else if (autoPad === 'SAME_UPPER' && spatial.every(isKnown)) {
    const [top, bottom] = samePads(spatial[0] as number, window, 0);
    const [left, right] = samePads(spatial[1] as number, window, 1);
    onnxPads = [top, left, bottom, right];
  } else throw unsupported(node, `auto_pad ${autoPad}${autoPad === 'SAME_UPPER' ? ' with a run-time image size' : ''}`);
  if (onnxPads.length !== 4) throw unsupported(node, `pads [${onnxPads.join(', ')}]`);
  const [top, left, bottom, right] = onnxPads as [number, number, number, number];
  const pads = [top, bottom, left, right];
  const outDims = [outSize(spatial[0]!, window, 0, top, bottom, fresh), outSize(spatial[1]!, window, 1, left, right, fresh)];
  if (pads.every((p) => p === 0)) return { padding: 'VALID', pads, outDims };
  if (isSame(spatial[0]!, window, 0, top, bottom) && isSame(spatial[1]!, window, 1, left, right)) return { padding: 'SAME', pads, outDims };
  return { padding: 'EXPLICIT', pads, outDims };
}
