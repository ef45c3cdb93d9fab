/**
 * The tokens-transformer pipeline: generate data -> train -> evaluate with
 * the pure-TS forward pass -> export ONNX. Same code and options give the
 * same bytes.
 */

import { countsOnlyAccuracy } from './counts-baseline.js';
import { makeTokensSample, TOKENS_CLASSES, type TokensSplit } from './dataset.js';
import { tokensAccuracy } from './forward.js';
import { LAYER_NORM_EPSILON } from './layers/layer-norm.js';
import { encodeTokensTransformerOnnx } from './onnx-export.js';
import {
  resolveTokensTrainOptions,
  type TokensEpochReport,
  type TokensTrainOptions,
  trainTokensTransformer,
} from './train.js';
import { countMultiplyAdds, parameterCount, type TokensModelShape, type TokensTransformerWeights } from './weights.js';

/** Held-out accuracy is measured on eval indices 0..EVAL_SAMPLES-1, as the benchmark uses them. */
export const TOKENS_EVAL_SAMPLES = 1024;

export interface BuildTokensOptions extends Partial<TokensTrainOptions> {
  evalSamples?: number;
  onEpoch?: (report: TokensEpochReport) => void;
}

export interface TokensModelInfo {
  classes: string[];
  architecture: string;
  shape: TokensModelShape;
  multiplyAddsPerSequence: number;
  parameters: number;
  datasetSeed: number;
  trainingSeed: number;
  trainSplit: TokensSplit;
  trainSamples: number;
  evalSplit: TokensSplit;
  evalSamples: number;
  epochs: number;
  batchSize: number;
  optimizer: string;
  learningRate: number;
  learningRateSchedule: string;
  /** Exact accuracy of the best guess from token-group counts alone (no order): what attention adds to. */
  countsOnlyAccuracy: number;
  epochReports: TokensEpochReport[];
}

export interface TokensModelBuild {
  onnxBytes: Uint8Array;
  heldOutAccuracy: number;
  trainAccuracy: number;
  weights: TokensTransformerWeights;
  info: TokensModelInfo;
}

/** Top-1 accuracy of the pure-TS forward pass on indices 0..count-1 of a split. */
export function evaluateTokensAccuracy(
  weights: TokensTransformerWeights,
  datasetSeed: number,
  split: TokensSplit,
  count: number,
): number {
  const samples = Array.from({ length: count }, (_, index) => makeTokensSample(datasetSeed, split, index));
  return tokensAccuracy(weights, samples);
}

function describeArchitecture(shape: TokensModelShape): string {
  const block =
    `[layernorm -> self_attention(heads=${shape.heads}, head_width=${shape.width / shape.heads}) + residual -> ` +
    `layernorm -> dense(${shape.width}->${shape.feedForwardWidth}) -> gelu(exact, erf) -> ` +
    `dense(${shape.feedForwardWidth}->${shape.width}) + residual] x ${shape.layers}`;
  return [
    `token_embedding(${shape.vocabularySize}x${shape.width}) + position_embedding(${shape.positions}x${shape.width})`,
    block,
    'layernorm',
    'mean_over_positions',
    `dense(${shape.width}->${shape.classes})`,
  ].join(' -> ');
}

export function buildTokensModel(options: BuildTokensOptions = {}): TokensModelBuild {
  const { evalSamples = TOKENS_EVAL_SAMPLES, onEpoch, ...overrides } = options;
  const train = resolveTokensTrainOptions(overrides);
  const { weights, epochs: epochReports } = trainTokensTransformer(train, onEpoch);
  const trainAccuracy = evaluateTokensAccuracy(weights, train.datasetSeed, 'train', train.trainSamples);
  const heldOutAccuracy = evaluateTokensAccuracy(weights, train.datasetSeed, 'eval', evalSamples);
  const { shape } = train;

  const info: TokensModelInfo = {
    classes: [...TOKENS_CLASSES],
    architecture: describeArchitecture(shape),
    shape,
    multiplyAddsPerSequence: countMultiplyAdds(shape),
    parameters: parameterCount(shape),
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
    learningRateSchedule: `linear warmup over ${train.warmupSteps} steps, then linear decay to 5% of the peak rate`,
    countsOnlyAccuracy: countsOnlyAccuracy(),
    epochReports,
  };

  const docString =
    `tokens-transformer: a small transformer encoder classifying sequences of ${shape.positions} token ids ` +
    `(vocabulary ${shape.vocabularySize}) by the group of the token that follows the marker token (id 0), ` +
    `${shape.classes} classes. Trained from scratch, deterministically, by mlbench ` +
    '(src/workloads/tokens/train.ts, plain TypeScript) on sequences from src/workloads/tokens/dataset.ts ' +
    `(dataset seed ${train.datasetSeed}, split 'train', indices 0..${train.trainSamples - 1}); ` +
    `exported by src/workloads/tokens/onnx-export.ts. Input 'tokens': int32 ids [batch, ${shape.positions}]. ` +
    "Output 'logits': unnormalized class scores, classes in metadata_props 'classes'.";

  const properties: [string, string][] = [
    ['classes', JSON.stringify(info.classes)],
    ['architecture', info.architecture],
    ['layer_norm_epsilon', String(LAYER_NORM_EPSILON)],
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
    ['counts_only_accuracy', String(info.countsOnlyAccuracy)],
    ['multiply_adds_per_sequence', String(info.multiplyAddsPerSequence)],
  ];

  const onnxBytes = encodeTokensTransformerOnnx(weights, { docString, properties });
  return { onnxBytes, heldOutAccuracy, trainAccuracy, weights, info };
}
