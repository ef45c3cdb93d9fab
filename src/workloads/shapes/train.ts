/**
 * A small deterministic CNN trainer in plain TypeScript (no ML library):
 * options and the training loop. The network is in network.ts (layer maths in
 * layers/), the optimizer in adam.ts, the loss's softmax in softmax.ts.
 *
 * Determinism: weights come from a seeded PRNG, batch order from a seeded
 * shuffle, every sum runs in one fixed order, and the only non-arithmetic
 * function on the weight path (exp in the softmax) is implemented from
 * + - * / so it cannot vary with the platform's libm.
 */

import { type EpochReport, overlayDefined } from '../training/options.js';
import { Adam } from './adam.js';
import { createRng, hashSeed, makeShapesSample, SHAPES_CLASSES } from './dataset.js';
import { Network } from './network.js';
import { argmax, softmaxInPlace } from './softmax.js';
import { exportWeights, initializeWeights, type ShapesCnnWeights } from './weights.js';

// This file was the whole trainer once; keep its public API importable from here.
export { createShapesPredictor, forward } from './forward.js';
export {
  type ConvWeights,
  countMultiplyAdds,
  type DenseWeights,
  parameterCount,
  SHAPES_INPUT_OFFSET,
  type ShapesCnnWeights,
} from './weights.js';

export interface TrainOptions {
  /** Seed of the procedural dataset (train split, indices 0..trainSamples-1). */
  datasetSeed: number;
  /** Seed of weight initialization and batch order. */
  trainingSeed: number;
  trainSamples: number;
  epochs: number;
  batchSize: number;
  /** Adam step size at the start; it decays linearly to 5% of this by the end. */
  learningRate: number;
  /** Output channels of each conv; every conv but the last is followed by a 2x2 max pool. */
  convChannels: readonly number[];
}

export const DEFAULT_TRAIN_OPTIONS: Readonly<TrainOptions> = {
  datasetSeed: 7,
  trainingSeed: 1,
  trainSamples: 6000,
  epochs: 3,
  batchSize: 16,
  learningRate: 0.01,
  convChannels: [8, 16, 32],
};

/** Defaults overlaid with the given options; undefined entries keep the default. */
export function resolveTrainOptions(overrides: Partial<TrainOptions> = {}): TrainOptions {
  return overlayDefined(DEFAULT_TRAIN_OPTIONS, overrides);
}

export type { EpochReport } from '../training/options.js';

export interface TrainResult {
  weights: ShapesCnnWeights;
  epochs: EpochReport[];
}

const FINAL_LEARNING_RATE_FRACTION = 0.05;

/** Seeded Fisher-Yates permutation of 0..count-1 (the batch order of one epoch). */
function shuffledIndices(count: number, seed: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const rng = createRng(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order;
}

/**
 * Trains the shapes CNN from scratch on train-split samples 0..trainSamples-1
 * with softmax cross-entropy and Adam. The same options always give
 * bit-identical weights.
 */
export function trainShapesCnn(
  overrides: Partial<TrainOptions> = {},
  onEpoch?: (report: EpochReport) => void,
): TrainResult {
  const options = resolveTrainOptions(overrides);
  const { trainSamples, epochs, batchSize } = options;
  const samples = Array.from({ length: trainSamples }, (_, i) =>
    makeShapesSample(options.datasetSeed, 'train', i),
  );
  const network = new Network(options.convChannels, SHAPES_CLASSES.length);
  initializeWeights(network, options.trainingSeed);
  const optimizer = new Adam(network.params, network.grads);
  const logitGrad = new Float64Array(SHAPES_CLASSES.length);
  const batchesPerEpoch = Math.ceil(trainSamples / batchSize);
  const totalSteps = batchesPerEpoch * epochs;
  const reports: EpochReport[] = [];
  let step = 0;

  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = shuffledIndices(trainSamples, hashSeed(options.trainingSeed, 0x6570_6f63, epoch));
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < trainSamples; start += batchSize) {
      const end = Math.min(start + batchSize, trainSamples);
      // Gradients of the batch-mean loss: each sample's share is scaled before accumulating.
      const lossScale = 1 / (end - start);
      network.grads.fill(0);
      for (let b = start; b < end; b++) {
        const sample = samples[order[b]!]!;
        const logits = network.forward(sample.pixels);
        if (argmax(logits) === sample.label) correct++;
        softmaxInPlace(logits);
        lossSum -= Math.log(Math.max(logits[sample.label]!, 1e-300));
        // d(cross-entropy)/d(logits) = softmax - one-hot.
        for (let o = 0; o < logits.length; o++) {
          logitGrad[o] = (logits[o]! - (o === sample.label ? 1 : 0)) * lossScale;
        }
        network.backward(logitGrad);
      }
      const progress = step / totalSteps;
      const decay = 1 - (1 - FINAL_LEARNING_RATE_FRACTION) * progress;
      optimizer.step(options.learningRate * decay);
      step++;
    }
    const report = { epoch: epoch + 1, meanLoss: lossSum / trainSamples, runningAccuracy: correct / trainSamples };
    reports.push(report);
    onEpoch?.(report);
  }
  return { weights: exportWeights(network), epochs: reports };
}
