import { describe, expect, it } from 'vitest';
import { calibrateRanges } from '../../src/precision/calibrate.js';
import { decodeModel } from '../../src/precision/onnx/proto.js';
import { float32Tensor } from '../../src/precision/onnx/tensors.js';
import { activationTensors } from '../../src/precision/to-int8-static.js';
import { floatInfo, op, tinyModel } from './helpers/tiny-model.js';

// y = 2x, z = y - 1: every range follows exactly from the inputs.
const bytes = tinyModel({
  nodes: [op('Mul', ['x', 'two'], ['y']), op('Sub', ['y', 'one'], ['z'])],
  initializers: [float32Tensor('two', [], Float32Array.of(2)), float32Tensor('one', [], Float32Array.of(1))],
  inputs: [floatInfo('x', ['batch', 3])],
  outputs: [floatInfo('z', ['batch', 3])],
});

describe('min/max calibration', () => {
  it('lists the float tensors computed at run time, not the initializers', () => {
    expect(activationTensors(decodeModel(bytes).graph)).toEqual(['x', 'y', 'z']);
  });

  it('keeps each tensor\'s exact min and max over all samples, across batches', async () => {
    // 40 samples: more than one calibration batch of 32; the extremes sit in the second batch.
    const feeds = Array.from({ length: 40 }, (_, i) => ({ x: { data: Float32Array.of(i / 100, -i / 200, 0.25), dims: [3] } }));
    feeds[35] = { x: { data: Float32Array.of(3, -4, 0.5), dims: [3] } };
    const { model, graph } = decodeModel(bytes);
    const ranges = await calibrateRanges(model, graph, ['x', 'y', 'z'], feeds);
    expect(Object.fromEntries(ranges)).toEqual({
      x: { min: -4, max: 3 },
      y: { min: -8, max: 6 },
      z: { min: -9, max: 5 },
    });
  });

  it('says which sample lacks an input', async () => {
    const { model, graph } = decodeModel(bytes);
    await expect(calibrateRanges(model, graph, ['y'], [{ other: { data: Float32Array.of(1, 2, 3), dims: [3] } }])).rejects.toThrow(
      'calibration sample 0 has no tensor for the model input x',
    );
  });
});
