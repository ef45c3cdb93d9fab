/**
 * Inference with the pure-TS network: measures the trained model's accuracy
 * without a runtime and is the reference the ONNX export is checked against.
 */

import { TokensNetwork } from './network.js';
import type { TokensTransformerWeights } from './weights.js';

/**
 * Returns a reusable classifier for `weights`: token ids -> logits, computed
 * in float64 from the float32 weights. Reuse it: building the network
 * allocates all its buffers.
 */
export function createTokensPredictor(weights: TokensTransformerWeights): (ids: ArrayLike<number>) => Float32Array {
  const network = new TokensNetwork(weights.shape);
  network.load(weights);
  return (ids) => Float32Array.from(network.forward(ids));
}

/** Top-1 accuracy of the pure-TS forward pass on the given labelled samples. */
export function tokensAccuracy(
  weights: TokensTransformerWeights,
  samples: Iterable<{ readonly ids: ArrayLike<number>; readonly label: number }>,
): number {
  const predict = createTokensPredictor(weights);
  let correct = 0;
  let count = 0;
  for (const sample of samples) {
    const logits = predict(sample.ids);
    let best = 0;
    for (let c = 1; c < logits.length; c++) if (logits[c]! > logits[best]!) best = c;
    if (best === sample.label) correct++;
    count++;
  }
  return count === 0 ? 0 : correct / count;
}
