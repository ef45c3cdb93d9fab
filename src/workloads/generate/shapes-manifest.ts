import { createHash } from 'node:crypto';
import type { ShapesModelBuild } from '../shapes/build.js';
import { SHAPES_CLASSES, SHAPES_IMAGE_SHAPE } from '../shapes/dataset.js';
import {
  SHAPES_ONNX_BATCH_DIM,
  SHAPES_ONNX_INPUT_NAME,
  SHAPES_ONNX_IR_VERSION,
  SHAPES_ONNX_OPSET,
  SHAPES_ONNX_OUTPUT_NAME,
} from '../shapes/onnx-export.js';
import { trainingSections } from '../training/manifest-sections.js';

export const SHAPES_WORKLOAD_NAME = 'shapes-cnn';

/** The model.json written next to shapes-cnn's model.onnx. */
export function shapesManifest(build: ShapesModelBuild): Record<string, unknown> {
  const { info } = build;
  return {
    name: SHAPES_WORKLOAD_NAME,
    description: 'Small CNN classifying 32x32 procedural shape and texture images into 10 classes.',
    file: 'model.onnx',
    sha256: createHash('sha256').update(build.onnxBytes).digest('hex'),
    sizeBytes: build.onnxBytes.byteLength,
    format: { type: 'onnx', opset: SHAPES_ONNX_OPSET, irVersion: SHAPES_ONNX_IR_VERSION },
    input: {
      name: SHAPES_ONNX_INPUT_NAME,
      dtype: 'float32',
      shape: [SHAPES_ONNX_BATCH_DIM, ...SHAPES_IMAGE_SHAPE],
      layout: 'NCHW',
    },
    output: {
      name: SHAPES_ONNX_OUTPUT_NAME,
      dtype: 'float32',
      shape: [SHAPES_ONNX_BATCH_DIM, SHAPES_CLASSES.length],
      meaning: 'unnormalized class scores; argmax is the predicted class',
    },
    classes: info.classes,
    normalization: {
      description: info.normalization,
      range: [0, 1],
      note: `the model subtracts ${info.inputOffset} itself; feed pixels exactly as makeShapesSample returns them`,
    },
    ...trainingSections(info, 'src/workloads/shapes/dataset.ts makeShapesSample(seed, split, index)'),
    accuracy: {
      heldOut: build.heldOutAccuracy,
      train: build.trainAccuracy,
      measuredWith: 'pure-TS forward pass (src/workloads/shapes/train.ts forward)',
    },
    architecture: info.architecture,
    multiplyAddsPerImage: info.multiplyAddsPerImage,
    parameters: info.parameters,
  };
}
