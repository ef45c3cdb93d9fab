/**
 * The shapes-cnn pipeline: generate data -> train -> evaluate with the pure-TS
 * forward pass -> export ONNX. Same code and options give the same bytes.
 */

import { makeShapesSample, SHAPES_CLASSES, SHAPES_NORMALIZATION, type ShapesSplit } from './dataset.js';
import { createShapesPredictor } from './forward.js';
import { encodeShapesCnnOnnx } from './onnx-export.js';
import { type EpochReport, resolveTrainOptions, type TrainOptions, trainShapesCnn } from './train.js';
import { countMultiplyAdds, parameterCount, SHAPES_INPUT_OFFSET, type ShapesCnnWeights } from './weights.js';

/** Held-out accuracy is measured on eval indices 0..EVAL_SAMPLES-1, as the benchmark uses them. */
export const SHAPES_EVAL_SAMPLES = 1024;

export interface BuildShapesOptions extends Partial<TrainOptions> {
  evalSamples?: number;
  onEpoch?: (report: EpochReport) => void;
}

export interface ShapesModelInfo {
  classes: string[];
  architecture: string;
  multiplyAddsPerImage: number;
  parameters: number;
  normalization: string;
  inputOffset: number;
  datasetSeed: number;
  trainingSeed: number;
  trainSplit: ShapesSplit;
  trainSamples: number;
  evalSplit: ShapesSplit;
  evalSamples: number;
  epochs: number;
  batchSize: number;
  optimizer: string;
  learningRate: number;
  learningRateSchedule: string;
  epochReports: EpochReport[];
}

export interface ShapesModelBuild {
  onnxBytes: Uint8Array;
  heldOutAccuracy: number;
  trainAccuracy: number;
  weights: ShapesCnnWeights;
  info: ShapesModelInfo;
}

/** Top-1 accuracy of the pure-TS forward pass on indices 0..count-1 of a split. */
export function evaluateShapesAccuracy(
  weights: ShapesCnnWeights,
  datasetSeed: number,
  split: ShapesSplit,
  count: number,
): number {
  const predict = createShapesPredictor(weights);
  let correct = 0;
  for (let index = 0; index < count; index++) {
    const sample = makeShapesSample(datasetSeed, split, index);
    const logits = predict(sample.pixels);
    let best = 0;
    for (let c = 1; c < logits.length; c++) if (logits[c]! > logits[best]!) best = c;
    if (best === sample.label) correct++;
  }
  return correct / count;
}

function describeArchitecture(weights: ShapesCnnWeights): string {
  const layers = weights.convs.map(
    (conv) => `conv3x3(${conv.inChannels}->${conv.outChannels})+relu${conv.poolAfter ? '+maxpool2x2' : ''}`,
  );
  return [
    `sub(${SHAPES_INPUT_OFFSET})`,
    ...layers,
    'global_avg_pool',
    `dense(${weights.dense.inFeatures}->${weights.dense.outFeatures})`,
  ].join(' -> ');
}

export function buildShapesModel(options: BuildShapesOptions = {}): ShapesModelBuild {
  const { evalSamples = SHAPES_EVAL_SAMPLES, onEpoch, ...overrides } = options;
  const train = resolveTrainOptions(overrides);
  const { weights, epochs: epochReports } = trainShapesCnn(train, onEpoch);
  const trainAccuracy = evaluateShapesAccuracy(weights, train.datasetSeed, 'train', train.trainSamples);
  const heldOutAccuracy = evaluateShapesAccuracy(weights, train.datasetSeed, 'eval', evalSamples);

  const info: ShapesModelInfo = {
    classes: [...SHAPES_CLASSES],
    architecture: describeArchitecture(weights),
    multiplyAddsPerImage: countMultiplyAdds(weights),
    parameters: parameterCount(weights),
    normalization: SHAPES_NORMALIZATION,
    inputOffset: SHAPES_INPUT_OFFSET,
    datasetSeed: train.datasetSeed,
    trainingSeed: train.trainingSeed,
    trainSplit: 'train',
    trainSamples: train.trainSamples,
    evalSplit: 'eval',
    evalSamples,
    epochs: train.epochs,
    batchSize: train.batchSize,
    optimizer: 'adam(beta1=0.9, beta2=0.999, eps=1e-8)',
    learningRate: train.learningRate,
    learningRateSchedule: 'linear decay to 5% of the initial rate',
    epochReports,
  };

  const docString =
    'shapes-cnn: a small CNN classifying 32x32 procedural shape/texture images into 10 classes. ' +
    'Trained from scratch, deterministically, by mlbench (src/workloads/shapes/train.ts, plain TypeScript) ' +
    `on images from src/workloads/shapes/dataset.ts (dataset seed ${train.datasetSeed}, split 'train', ` +
    `indices 0..${train.trainSamples - 1}); exported by src/workloads/shapes/onnx-export.ts. ` +
    `Input 'image': ${SHAPES_NORMALIZATION}; the graph subtracts ${SHAPES_INPUT_OFFSET} itself. ` +
    "Output 'logits': unnormalized class scores, classes in metadata_props 'classes'.";

  const properties: [string, string][] = [
    ['classes', JSON.stringify(info.classes)],
    ['architecture', info.architecture],
    ['normalization', info.normalization],
    ['dataset_seed', String(info.datasetSeed)],
    ['training_seed', String(info.trainingSeed)],
    ['train_samples', String(info.trainSamples)],
    ['epochs', String(info.epochs)],
    ['batch_size', String(info.batchSize)],
    ['optimizer', info.optimizer],
    ['learning_rate', String(info.learningRate)],
    ['learning_rate_schedule', info.learningRateSchedule],
    ['train_accuracy', String(trainAccuracy)],
    ['held_out_accuracy', String(heldOutAccuracy)],
    ['held_out_samples', `split 'eval', indices 0..${evalSamples - 1}`],
    ['multiply_adds_per_image', String(info.multiplyAddsPerImage)],
  ];

  const onnxBytes = encodeShapesCnnOnnx(weights, { docString, properties });
  return { onnxBytes, heldOutAccuracy, trainAccuracy, weights, info };
}
