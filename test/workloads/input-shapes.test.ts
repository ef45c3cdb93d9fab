import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { parseShapeFlags, resolveInputShapes } from '../../src/workloads/input-shapes.js';

const seq = [
  { name: 'tokens', type: 'int64', declaredShape: ['batch', 'seq'] },
  { name: 'mask', type: 'float32', declaredShape: ['batch', 'seq'] },
];

describe('resolving a model\'s declared input shapes', () => {
  it('takes the first symbolic dimension as the batch and assumes the rest by name, saying so', () => {
    const { inputs, assumptions } = resolveInputShapes(seq, true, new Map());
    expect(inputs.map((i) => i.sampleDims)).toEqual([[128], [128]]);
    expect(inputs.map((i) => i.shape)).toEqual([[1, 128], [1, 128]]);
    expect(assumptions).toEqual([
      "input 'tokens' dimension 1 ('seq') assumed 128; set it with --shape tokens=...",
      "input 'mask' dimension 1 ('seq') assumed 128; set it with --shape mask=...",
    ]);
  });

  it('uses --shape where given', () => {
    const { inputs, assumptions } = resolveInputShapes(seq, true, parseShapeFlags(['tokens=1x16', 'mask=1x16']));
    expect(inputs.map((i) => i.sampleDims)).toEqual([[16], [16]]);
    expect(assumptions).toEqual([]);
  });

  it('assumes 224 for image sides and 1 for unknown names', () => {
    const image = [{ name: 'pixels', type: 'float32', declaredShape: ['N', 3, 'height', 'width'] }];
    expect(resolveInputShapes(image, true, new Map()).inputs[0]!.sampleDims).toEqual([3, 224, 224]);
    const odd = [{ name: 'x', type: 'float32', declaredShape: ['N', 'k'] }];
    expect(resolveInputShapes(odd, true, new Map()).inputs[0]!.sampleDims).toEqual([1]);
  });

  it('keeps a fixed batch dimension in the per-sample shape', () => {
    const fixed = [{ name: 'x', type: 'float32', declaredShape: [1, 4] }];
    expect(resolveInputShapes(fixed, false, new Map()).inputs[0]!.sampleDims).toEqual([1, 4]);
  });

  it('rejects a --shape that contradicts the model, or names no input', () => {
    expect(() => resolveInputShapes(seq, true, parseShapeFlags(['tokens=1x2x3']))).toThrow(/declares 2 dimensions/);
    expect(() => resolveInputShapes(seq, true, parseShapeFlags(['ids=1x8']))).toThrow(/no input named 'ids'/);
    expect(() => parseShapeFlags(['tokens:1x8'])).toThrow(UserError);
  });
});
