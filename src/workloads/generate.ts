/**
 * `npm run generate:models`: trains and exports the built-in workload models
 * into workloads/<name>/ (model.onnx plus a model.json manifest). Output is
 * deterministic, so re-running it must leave the committed files unchanged.
 */

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildShapesModel, type ShapesModelBuild } from './shapes/build.js';
import { SHAPES_CLASSES, SHAPES_IMAGE_SHAPE } from './shapes/dataset.js';
import {
  SHAPES_ONNX_BATCH_DIM,
  SHAPES_ONNX_INPUT_NAME,
  SHAPES_ONNX_IR_VERSION,
  SHAPES_ONNX_OPSET,
  SHAPES_ONNX_OUTPUT_NAME,
} from './shapes/onnx-export.js';

/** dist/workloads/generate.js -> repository root. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const SHAPES_WORKLOAD_NAME = 'shapes-cnn';

function shapesManifest(build: ShapesModelBuild): Record<string, unknown> {
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
    dataset: {
      generator: 'src/workloads/shapes/dataset.ts makeShapesSample(seed, split, index)',
      seed: info.datasetSeed,
      trainSplit: info.trainSplit,
      trainSamples: info.trainSamples,
      evalSplit: info.evalSplit,
      evalSamples: info.evalSamples,
    },
    training: {
      seed: info.trainingSeed,
      epochs: info.epochs,
      batchSize: info.batchSize,
      optimizer: info.optimizer,
      learningRate: info.learningRate,
      learningRateSchedule: info.learningRateSchedule,
    },
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

function generateShapesCnn(): void {
  const started = performance.now();
  const build = buildShapesModel({
    onEpoch: (report) =>
      console.log(
        `  epoch ${report.epoch}: loss ${report.meanLoss.toFixed(4)}, ` +
          `running accuracy ${(report.runningAccuracy * 100).toFixed(1)}%`,
      ),
  });
  const seconds = (performance.now() - started) / 1000;
  const directory = `${REPO_ROOT}workloads/${SHAPES_WORKLOAD_NAME}`;
  mkdirSync(directory, { recursive: true });
  const manifest = shapesManifest(build);
  writeFileSync(`${directory}/model.onnx`, build.onnxBytes);
  writeFileSync(`${directory}/model.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`wrote workloads/${SHAPES_WORKLOAD_NAME}/model.onnx (${build.onnxBytes.byteLength} bytes, sha256 ${manifest.sha256})`);
  console.log(`wrote workloads/${SHAPES_WORKLOAD_NAME}/model.json`);
  console.log(
    `${SHAPES_WORKLOAD_NAME}: held-out accuracy ${(build.heldOutAccuracy * 100).toFixed(2)}% ` +
      `(${build.info.evalSamples} eval samples), train accuracy ${(build.trainAccuracy * 100).toFixed(2)}%, ` +
      `built in ${seconds.toFixed(1)} s`,
  );
}

console.log(`generating ${SHAPES_WORKLOAD_NAME} ...`);
generateShapesCnn();
