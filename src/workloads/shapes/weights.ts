/**
 * The model's parameters as the rest of mlbench sees them (float32, ONNX
 * layouts), and their conversion to and from the float64 training network:
 * seeded initialization, loading, exporting, and size counts.
 */

import { createRng, hashSeed, SHAPES_IMAGE_SHAPE } from './dataset.js';
import { type ConvLayer, KERNEL_AREA } from './layers/conv.js';
import type { DenseLayer } from './layers/dense.js';

export interface ConvWeights {
  inChannels: number;
  outChannels: number;
  /** [outChannels, inChannels, 3, 3] (OIHW, as ONNX Conv expects). */
  weight: Float32Array;
  /** [outChannels] */
  bias: Float32Array;
  /** Whether a 2x2/stride-2 max pool follows the ReLU. */
  poolAfter: boolean;
}

export interface DenseWeights {
  inFeatures: number;
  outFeatures: number;
  /** [outFeatures, inFeatures] (ONNX Gemm with transB = 1). */
  weight: Float32Array;
  /** [outFeatures] */
  bias: Float32Array;
}

export interface ShapesCnnWeights {
  convs: ConvWeights[];
  dense: DenseWeights;
}

/**
 * Subtracted from every [0, 1] pixel before the first conv (the ONNX graph
 * does the same with a Sub node). Without batch norm, centred inputs train
 * much faster: in our runs about 98% instead of 87% held-out after 3 epochs.
 */
export const SHAPES_INPUT_OFFSET = 0.5;

/** The float64 layer views of a training network that these functions fill or read. */
export interface NetworkLayers {
  readonly convs: readonly ConvLayer[];
  readonly dense: DenseLayer;
}

/** He-uniform convs, Glorot-uniform dense, zero biases; one seeded stream, drawn layer by layer. */
export function initializeWeights(network: NetworkLayers, seed: number): void {
  const rng = createRng(hashSeed(seed, 0x696e_6974));
  const fill = (target: Float64Array, bound: number): void => {
    for (let i = 0; i < target.length; i++) target[i] = (2 * rng() - 1) * bound;
  };
  for (const conv of network.convs) {
    fill(conv.weight, Math.sqrt(6 / (conv.inChannels * KERNEL_AREA)));
    conv.bias.fill(0);
  }
  const { dense } = network;
  fill(dense.weight, Math.sqrt(6 / (dense.inFeatures + dense.outFeatures)));
  dense.bias.fill(0);
}

/** Copies trained weights into a network of the same architecture (for inference). */
export function loadWeights(network: NetworkLayers, weights: ShapesCnnWeights): void {
  if (weights.convs.length !== network.convs.length) throw new Error('conv layer count mismatch');
  network.convs.forEach((conv, i) => {
    const source = weights.convs[i]!;
    if (
      source.weight.length !== conv.weight.length ||
      source.bias.length !== conv.bias.length ||
      source.inChannels !== conv.inChannels ||
      source.poolAfter !== conv.poolAfter
    ) {
      throw new Error(`conv ${i} does not match this network (pooling after every conv but the last)`);
    }
    conv.weight.set(source.weight);
    conv.bias.set(source.bias);
  });
  const { dense } = network;
  if (weights.dense.weight.length !== dense.weight.length) throw new Error('dense shape mismatch');
  dense.weight.set(weights.dense.weight);
  dense.bias.set(weights.dense.bias);
}

/** Rounds the network's float64 parameters to float32, the precision the ONNX model stores. */
export function exportWeights(network: NetworkLayers): ShapesCnnWeights {
  const { dense } = network;
  return {
    convs: network.convs.map((conv) => ({
      inChannels: conv.inChannels,
      outChannels: conv.outChannels,
      weight: Float32Array.from(conv.weight),
      bias: Float32Array.from(conv.bias),
      poolAfter: conv.poolAfter,
    })),
    dense: {
      inFeatures: dense.inFeatures,
      outFeatures: dense.outFeatures,
      weight: Float32Array.from(dense.weight),
      bias: Float32Array.from(dense.bias),
    },
  };
}

/** Multiply-adds of one inference (convs, dense; pooling and bias adds excluded). */
export function countMultiplyAdds(weights: ShapesCnnWeights): number {
  const [, height, width] = SHAPES_IMAGE_SHAPE;
  let area: number = height * width;
  let total = 0;
  for (const conv of weights.convs) {
    total += area * conv.outChannels * conv.inChannels * KERNEL_AREA;
    if (conv.poolAfter) area /= 4;
  }
  return total + weights.dense.inFeatures * weights.dense.outFeatures;
}

export function parameterCount(weights: ShapesCnnWeights): number {
  let total = weights.dense.weight.length + weights.dense.bias.length;
  for (const conv of weights.convs) total += conv.weight.length + conv.bias.length;
  return total;
}
