/**
 * Trains the decoder from its seeded initial weights on the grammar corpus: next-token
 * cross-entropy at every position, Adam (the trainer the built-in models share), linear
 * warmup then linear decay. Deterministic like the tokens-transformer trainer: seeded
 * data, fixed summation order, exp/erf from + - * / only, so the same options give the
 * same bytes on every platform.
 */

import { Adam } from '../../../workloads/shapes/adam.js';
import type { TrainingSummary } from '../build.js';
import type { DecoderShape } from '../config.js';
import { CORPUS_DESCRIPTION, GrammarCorpus } from './corpus.js';
import { DecoderNetwork } from './decoder-network.js';

export interface DecoderTrainOptions {
  readonly corpusSeed: number;
  readonly steps: number;
  /** Documents per optimizer step. */
  readonly batchSize: number;
  readonly learningRate: number;
  readonly warmupSteps: number;
}

export const DEFAULT_DECODER_TRAIN_OPTIONS: DecoderTrainOptions = {
  corpusSeed: 17,
  steps: 400,
  batchSize: 16,
  learningRate: 0.004,
  warmupSteps: 30,
};

/** The longest document the grammar makes: <bos> + 3 sentences of at most 12 words + 2 conjunctions + <eos>. */
const MAX_DOCUMENT_TOKENS = 40;
const FINAL_LEARNING_RATE_FRACTION = 0.1;

function learningRateAt(options: DecoderTrainOptions, step: number): number {
  if (step < options.warmupSteps) return (options.learningRate * (step + 1)) / options.warmupSteps;
  const progress = (step - options.warmupSteps) / Math.max(options.steps - options.warmupSteps, 1);
  return options.learningRate * (1 - (1 - FINAL_LEARNING_RATE_FRACTION) * progress);
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/**
 * Trains `params` (flat, decoderParameterSpecs order) in place. onStep reports the mean loss
 * per token of each step (for progress lines).
 */
export function trainDecoder(
  shape: DecoderShape,
  params: Float64Array,
  options: DecoderTrainOptions = DEFAULT_DECODER_TRAIN_OPTIONS,
  onStep?: (step: number, meanLoss: number) => void,
): TrainingSummary {
  const network = new DecoderNetwork(shape, MAX_DOCUMENT_TOKENS);
  network.params.set(params);
  const optimizer = new Adam(network.params, network.grads);
  const corpus = new GrammarCorpus(options.corpusSeed);
  let tokens = 0;
  let firstLoss = 0;
  let lastLosses: number[] = [];
  for (let step = 0; step < options.steps; step++) {
    const documents = Array.from({ length: options.batchSize }, () => corpus.nextDocument());
    const offsets = documents.map((d) => corpus.nextOffset(d.length, shape.contextLength));
    const predicted = documents.reduce((sum, d) => sum + d.length - 1, 0);
    network.grads.fill(0);
    let lossSum = 0;
    documents.forEach((document, b) => {
      network.forward(document.subarray(0, document.length - 1), offsets[b]!);
      lossSum += network.backward(document.subarray(1), 1 / predicted);
    });
    optimizer.step(learningRateAt(options, step));
    tokens += predicted;
    const meanLoss = lossSum / predicted;
    if (step === 0) firstLoss = meanLoss;
    lastLosses.push(meanLoss);
    if (lastLosses.length > 20) lastLosses = lastLosses.slice(-20);
    onStep?.(step, meanLoss);
  }
  params.set(network.params);
  return {
    corpus: CORPUS_DESCRIPTION,
    corpusSeed: options.corpusSeed,
    documents: options.steps * options.batchSize,
    maxDocumentTokens: MAX_DOCUMENT_TOKENS,
    placement: 'each document starts at a position drawn uniformly from [0, context - length], so every position embedding is trained',
    tokens,
    steps: options.steps,
    batchSize: options.batchSize,
    optimizer: `adam(beta1=0.9, beta2=0.999, eps=1e-8), lr ${options.learningRate}, linear warmup ${options.warmupSteps} steps then linear decay to ${FINAL_LEARNING_RATE_FRACTION * 100}%`,
    learningRate: options.learningRate,
    firstLoss: round4(firstLoss),
    finalLoss: round4(lastLosses.reduce((a, b) => a + b, 0) / Math.max(lastLosses.length, 1)),
  };
}
