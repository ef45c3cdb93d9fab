/**
 * The decoder's parameters: the same named tensors, layouts and initializers as the
 * tokens-transformer encoder (src/workloads/tokens/weights.ts), with the classifier sized to
 * the vocabulary so it serves as the output projection. Float32 in the ONNX file, float64
 * while training.
 */

import { canonicalDouble, Mt19937 } from '../../loadgen/rng.js';
import { hashSeed } from '../../workloads/shapes/dataset.js';
import {
  elementCount,
  type ParameterSpec,
  parameterSpecs,
  type TokensModelShape,
} from '../../workloads/tokens/weights.js';
import type { DecoderShape } from './config.js';

/** The output projection [width, vocabulary] and its bias carry the encoder's classifier names. */
export const OUTPUT_PROJECTION = 'classifier';

/** Token embeddings start uniform in [-bound, bound]; LayerNorm follows, so the scale is free. */
const EMBEDDING_INIT_BOUND = 1;
const INIT_SALT = 0x6c6c_6d69;

export interface DecoderWeights {
  readonly shape: DecoderShape;
  readonly tensors: ReadonlyMap<string, Float32Array>;
}

/** The encoder's shape whose parameter list is exactly the decoder's. */
function asEncoderShape(shape: DecoderShape): TokensModelShape {
  return {
    vocabularySize: shape.vocabularySize,
    positions: shape.contextLength,
    width: shape.width,
    heads: shape.heads,
    feedForwardWidth: shape.feedForwardWidth,
    layers: shape.layers,
    classes: shape.vocabularySize,
  };
}

export function decoderParameterSpecs(shape: DecoderShape): ParameterSpec[] {
  if (shape.width % shape.heads !== 0) throw new RangeError(`width ${shape.width} does not split into ${shape.heads} heads`);
  return parameterSpecs(asEncoderShape(shape));
}

export function decoderParameterCount(shape: DecoderShape): number {
  return decoderParameterSpecs(shape).reduce((total, spec) => total + elementCount(spec.dims), 0);
}

/**
 * Fills a flat float64 array (parameterSpecs order) from one seeded Mt19937 stream: embeddings
 * uniform, Glorot-uniform matrices, unit norm scales, zero biases.
 */
export function initializeDecoderParameters(shape: DecoderShape, seed: number, target: Float64Array): void {
  const rng = new Mt19937(hashSeed(seed, INIT_SALT));
  let offset = 0;
  for (const spec of decoderParameterSpecs(shape)) {
    const values = target.subarray(offset, offset + elementCount(spec.dims));
    offset += values.length;
    const bound =
      spec.init === 'embedding'
        ? EMBEDDING_INIT_BOUND
        : spec.init === 'glorot'
          ? Math.sqrt(6 / (spec.dims[0]! + spec.dims[1]!))
          : 0;
    if (spec.init === 'ones') values.fill(1);
    else if (spec.init === 'zeros') values.fill(0);
    else for (let i = 0; i < values.length; i++) values[i] = (2 * canonicalDouble(rng) - 1) * bound;
  }
  if (offset !== target.length) throw new RangeError(`parameter array holds ${target.length} values, the shape needs ${offset}`);
}

/** Rounds a flat float64 parameter array to the named float32 tensors the ONNX file stores. */
export function decoderWeightsFrom(shape: DecoderShape, flat: Float64Array): DecoderWeights {
  const tensors = new Map<string, Float32Array>();
  let offset = 0;
  for (const spec of decoderParameterSpecs(shape)) {
    const length = elementCount(spec.dims);
    tensors.set(spec.name, Float32Array.from(flat.subarray(offset, offset + length)));
    offset += length;
  }
  return { shape, tensors };
}

export function decoderWeightTensor(weights: DecoderWeights, name: string): Float32Array {
  const tensor = weights.tensors.get(name);
  if (!tensor) throw new Error(`decoder weights have no tensor '${name}'`);
  return tensor;
}
