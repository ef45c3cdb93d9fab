import { describe, expect, it } from 'vitest';
import { broadcastDims, transposeValues } from '../../src/tfjs/convert/dims.js';
import type { OnnxNode } from '../../src/tfjs/convert/onnx-graph.js';
import { spatialPadding } from '../../src/tfjs/convert/ops/padding.js';
import { ints } from './helpers/onnx-builder.js';

function poolNode(pads?: number[]): OnnxNode {
  const attributes = new Map(pads ? [['pads', ints('pads', pads)] as const] : []);
  return { opType: 'MaxPool', domain: '', label: 'p', inputs: ['x'], outputs: ['y'], attributes };
}

const fresh = () => '?';

describe('converter arithmetic', () => {
  it('transposeValues moves elements by the permutation', () => {
    expect(transposeValues(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], [1, 0])).toEqual(Float32Array.of(1, 4, 2, 5, 3, 6));
    // NCHW [1, 2, 1, 2] -> NHWC [1, 1, 2, 2]: channel planes interleave.
    expect(transposeValues(Int32Array.of(10, 11, 20, 21), [1, 2, 1, 2], [0, 2, 3, 1])).toEqual(Int32Array.of(10, 20, 11, 21));
  });

  it('broadcastDims follows numpy, a number winning over a run-time size', () => {
    expect(broadcastDims([['batch', 8, 8], [8, 8]])).toEqual(['batch', 8, 8]);
    expect(broadcastDims([['batch', 4, 1, 1], [4, 1, 1], []])).toEqual(['batch', 4, 1, 1]);
    expect(broadcastDims([['batch', 1], ['n', 5]])).toEqual(['batch', 5]);
  });

  it('padding: SAME when the pads are SAME’s for the size, explicit otherwise, VALID without pads', () => {
    const window = { kernel: [3, 3], strides: [2, 2], dilations: [1, 1] };
    // 9 wide, stride 2, kernel 3: SAME pads 1 and 1, output 5.
    expect(spatialPadding(poolNode([1, 1, 1, 1]), [9, 9], window, fresh)).toEqual({ padding: 'SAME', pads: [1, 1, 1, 1], outDims: [5, 5] });
    expect(spatialPadding(poolNode([0, 1, 1, 0]), [9, 9], window, fresh)).toEqual({ padding: 'EXPLICIT', pads: [0, 1, 1, 0], outDims: [4, 4] });
    expect(spatialPadding(poolNode(), [9, 9], window, fresh)).toEqual({ padding: 'VALID', pads: [0, 0, 0, 0], outDims: [4, 4] });
    // 8 wide, stride 2: SAME pads 0 then 1 (the odd pixel at the end), so symmetric pads are explicit.
    expect(spatialPadding(poolNode([0, 0, 1, 1]), [8, 8], window, fresh).padding).toBe('SAME');
    expect(spatialPadding(poolNode([1, 1, 1, 1]), [8, 8], window, fresh).padding).toBe('EXPLICIT');
  });

  it('padding with a run-time size: stride 1 SAME keeps the size symbol', () => {
    const window = { kernel: [3, 3], strides: [1, 1], dilations: [1, 1] };
    expect(spatialPadding(poolNode([1, 1, 1, 1]), ['h', 'w'], window, fresh)).toEqual({ padding: 'SAME', pads: [1, 1, 1, 1], outDims: ['h', 'w'] });
  });
});
