/**
 * Trains the tokens transformer from scratch in plain TypeScript (no ML
 * library): softmax cross-entropy, Adam (shared with the shapes CNN), a
 * warmup-then-linear-decay learning rate.
 *
 * Determinism: weights come from a seeded Mt19937, batch order from a seeded
 * std::shuffle, every sum runs in one fixed order, and exp/erf are built from
 * + - * / (math.ts), so the same options give bit-identical weights.
 */

import { Mt19937, shuffleInPlace } from '../../loadgen/rng.js';
import { Adam } from '../shapes/adam.js';
import { hashSeed } from '../shapes/dataset.js';
import { argmax, softmaxInPlace } from '../shapes/softmax.js';
import { type EpochReport, overlayDefined } from '../training/options.js';
import { makeTokensSample } from './dataset.js';
import { TokensNetwork } from './network.js';
import { TOKENS_MODEL_SHAPE, type TokensModelShape, type TokensTransformerWeights } from './weights.js';

export interface TokensTrainOptions {
  /** Seed of the dataset (train split, indices 0..trainSamples-1). */
  datasetSeed: number;
  /** Seed of weight initialization and batch order. */
  trainingSeed: number;
  trainSamples: number;
  epochs: number;
  batchSize: number;
  /** Peak Adam step size, reached after the warmup; it then decays linearly to 5% of this by the end. */
  learningRate: number;
  /** Optimizer steps over which the learning rate ramps linearly up from zero. */
  warmupSteps: number;
  shape: TokensModelShape;
}

export const DEFAULT_TOKENS_TRAIN_OPTIONS: Readonly<TokensTrainOptions> = {
  datasetSeed: 11,
  trainingSeed: 1,
  trainSamples: 25600,
  epochs: 4,
  batchSize: 32,
  learningRate: 0.005,
  warmupSteps: 50,
  shape: TOKENS_MODEL_SHAPE,
};

/** Defaults overlaid with the given options; undefined entries keep the default. */
export function resolveTokensTrainOptions(overrides: Partial<TokensTrainOptions> = {}): TokensTrainOptions {
  return overlayDefined(DEFAULT_TOKENS_TRAIN_OPTIONS, overrides);
}

export type TokensEpochReport = EpochReport;

export interface TokensTrainResult {
  weights: TokensTransformerWeights;
  epochs: TokensEpochReport[];
}

const FINAL_LEARNING_RATE_FRACTION = 0.05;

/** The learning rate of optimizer step `step` (0-based) out of `totalSteps`. */
export function learningRateAt(options: TokensTrainOptions, step: number, totalSteps: number): number {
  if (step < options.warmupSteps) return (options.learningRate * (step + 1)) / options.warmupSteps;
  const decaySteps = Math.max(totalSteps - options.warmupSteps, 1);
  const progress = (step - options.warmupSteps) / decaySteps;
  return options.learningRate * (1 - (1 - FINAL_LEARNING_RATE_FRACTION) * progress);
}

/**
 * Adds the gradients of one sequence's cross-entropy (scaled by `lossScale`)
 * into network.grads. Returns the loss and whether the prediction was right.
 */
export function accumulateSequenceGradient(
  network: TokensNetwork,
  ids: ArrayLike<number>,
  label: number,
  lossScale: number,
  logitGrad: Float64Array,
): { loss: number; correct: boolean } {
  const logits = network.forward(ids);
  const correct = argmax(logits) === label;
  softmaxInPlace(logits);
  const loss = -Math.log(Math.max(logits[label]!, 1e-300));
  // d(cross-entropy)/d(logits) = softmax - one-hot.
  for (let o = 0; o < logits.length; o++) logitGrad[o] = (logits[o]! - (o === label ? 1 : 0)) * lossScale;
  network.backward(logitGrad);
  return { loss, correct };
}

/**
 * Trains on train-split samples 0..trainSamples-1 with batch-mean softmax
 * cross-entropy and Adam.
 */
export function trainTokensTransformer(
  overrides: Partial<TokensTrainOptions> = {},
  onEpoch?: (report: TokensEpochReport) => void,
): TokensTrainResult {
  const options = resolveTokensTrainOptions(overrides);
  const { trainSamples, epochs, batchSize } = options;
  const samples = Array.from({ length: trainSamples }, (_, i) => makeTokensSample(options.datasetSeed, 'train', i));
  const network = new TokensNetwork(options.shape);
  network.initialize(options.trainingSeed);
  const optimizer = new Adam(network.params, network.grads);
  const logitGrad = new Float64Array(options.shape.classes);
  const totalSteps = Math.ceil(trainSamples / batchSize) * epochs;
  const reports: TokensEpochReport[] = [];
  const order = Array.from({ length: trainSamples }, (_, i) => i);
  const shuffler = new Mt19937(hashSeed(options.trainingSeed, 0x6570_6f63));
  let step = 0;

  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(shuffler, order);
    let lossSum = 0;
    let correctCount = 0;
    for (let start = 0; start < trainSamples; start += batchSize) {
      const end = Math.min(start + batchSize, trainSamples);
      network.grads.fill(0);
      for (let b = start; b < end; b++) {
        const sampleIndex = order[b]!;
        const sample = samples[sampleIndex]!;
        const lossScale = 1 / (end - start);
        const { loss, correct } = accumulateSequenceGradient(network, sample.ids, sample.label, lossScale, logitGrad);
        lossSum += loss;
        if (correct) correctCount++;
      }
      optimizer.step(learningRateAt(options, step, totalSteps));
      step++;
    }
    const report = { epoch: epoch + 1, meanLoss: lossSum / trainSamples, runningAccuracy: correctCount / trainSamples };
    reports.push(report);
    onEpoch?.(report);
  }
  return { weights: network.export(), epochs: reports };
}
