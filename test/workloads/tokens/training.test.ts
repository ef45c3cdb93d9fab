import { describe, expect, it } from 'vitest';
import { Adam } from '../../../src/workloads/shapes/adam.js';
import { softmaxInPlace } from '../../../src/workloads/shapes/softmax.js';
import { makeTokensSample, TOKENS_SEQUENCE_LENGTH } from '../../../src/workloads/tokens/dataset.js';
import { TokensNetwork } from '../../../src/workloads/tokens/network.js';
import {
  accumulateSequenceGradient,
  learningRateAt,
  resolveTokensTrainOptions,
} from '../../../src/workloads/tokens/train.js';
import { TOKENS_MODEL_SHAPE, type TokensModelShape } from '../../../src/workloads/tokens/weights.js';

/** Two layers so the gradient flows through a layer's input path too; odd sizes catch index mix-ups. */
const TINY: TokensModelShape = {
  vocabularySize: 7,
  positions: 5,
  width: 8,
  heads: 2,
  feedForwardWidth: 12,
  layers: 2,
  classes: 3,
};

function crossEntropy(network: TokensNetwork, ids: readonly number[], label: number): number {
  const probabilities = Float64Array.from(network.forward(ids));
  softmaxInPlace(probabilities);
  return -Math.log(probabilities[label]!);
}

describe('tokens transformer training', () => {
  it('backward matches central finite differences for every parameter (relative error < 1e-6)', () => {
    const network = new TokensNetwork(TINY);
    network.initialize(3);
    // Move norm scales off 1 and biases off 0, so their gradients are exercised in general position.
    for (let i = 0; i < network.params.length; i++) network.params[i] = network.params[i]! + 0.1 * Math.sin(i * 1.7);
    const ids = [1, 4, 0, 6, 4]; // a repeated id: its embedding gradient sums two positions
    const label = 2;
    network.grads.fill(0);
    accumulateSequenceGradient(network, ids, label, 1, new Float64Array(TINY.classes));
    const analytic = Float64Array.from(network.grads);

    const h = 1e-5;
    let worst = 0;
    for (let i = 0; i < network.params.length; i++) {
      const saved = network.params[i]!;
      network.params[i] = saved + h;
      const up = crossEntropy(network, ids, label);
      network.params[i] = saved - h;
      const down = crossEntropy(network, ids, label);
      network.params[i] = saved;
      const numeric = (up - down) / (2 * h);
      // Relative to the pair's size, with a floor so near-zero gradients compare absolutely.
      const error = Math.abs(numeric - analytic[i]!) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[i]!));
      worst = Math.max(worst, error);
    }
    expect(network.params.length).toBe(1203);
    expect(worst).toBeLessThan(1e-6);
  });

  it('a few Adam steps on one batch of real samples lower its loss', () => {
    const network = new TokensNetwork(TOKENS_MODEL_SHAPE);
    network.initialize(1);
    const optimizer = new Adam(network.params, network.grads);
    const batch = Array.from({ length: 16 }, (_, i) => makeTokensSample(11, 'train', i));
    const logitGrad = new Float64Array(TOKENS_MODEL_SHAPE.classes);
    const batchLoss = (): number => {
      network.grads.fill(0);
      let loss = 0;
      for (const sample of batch) {
        loss += accumulateSequenceGradient(network, sample.ids, sample.label, 1 / batch.length, logitGrad).loss;
      }
      return loss / batch.length;
    };
    const before = batchLoss();
    for (let step = 0; step < 10; step++) {
      batchLoss();
      optimizer.step(0.003);
    }
    const after = batchLoss();
    expect(before).toBeGreaterThan(1.2); // about ln 4 at initialization
    expect(after).toBeLessThan(before * 0.8);
  });

  it('ramps the learning rate up over the warmup, then decays it linearly to 5%', () => {
    const options = resolveTokensTrainOptions({ learningRate: 0.01, warmupSteps: 10 });
    expect(learningRateAt(options, 0, 110)).toBeCloseTo(0.001, 15);
    expect(learningRateAt(options, 9, 110)).toBeCloseTo(0.01, 15);
    expect(learningRateAt(options, 10, 110)).toBeCloseTo(0.01, 15);
    expect(learningRateAt(options, 60, 110)).toBeCloseTo(0.01 * (1 - 0.95 * 0.5), 15);
    expect(learningRateAt(options, 110, 110)).toBeCloseTo(0.0005, 15);
  });

  it('rejects sequences of the wrong length or with ids outside the vocabulary', () => {
    const network = new TokensNetwork(TOKENS_MODEL_SHAPE);
    expect(() => network.forward(new Int32Array(TOKENS_SEQUENCE_LENGTH - 1))).toThrow(/expected 16 token ids/);
    const ids = new Int32Array(TOKENS_SEQUENCE_LENGTH);
    ids[3] = 64;
    expect(() => network.forward(ids)).toThrow(/token id 64 at position 3/);
  });
});
