/**
 * Inference with the pure-TS network, used to measure the trained model's
 * accuracy without a runtime and as a reference for ONNX backends.
 */

import { Network } from './network.js';
import { loadWeights, type ShapesCnnWeights } from './weights.js';

/**
 * Returns a reusable classifier for `weights`: pixels (CHW float32, as from
 * makeShapesSample) -> logits. Computes in float64 from the float32 weights.
 * Reuse it across images: building the network allocates all its buffers.
 */
export function createShapesPredictor(weights: ShapesCnnWeights): (pixels: Float32Array) => Float32Array {
  const network = new Network(
    weights.convs.map((conv) => conv.outChannels),
    weights.dense.outFeatures,
  );
  loadWeights(network, weights);
  return (pixels) => Float32Array.from(network.forward(pixels));
}

/** Pure-TS forward pass of one image: pixels [3, 32, 32] -> logits [10]. */
export function forward(weights: ShapesCnnWeights, pixels: Float32Array): Float32Array {
  return createShapesPredictor(weights)(pixels);
}
