/**
 * The transformer's size and parameters as the rest of mlbench sees them:
 * named float32 tensors in ONNX layouts (the names are the ONNX initializer
 * names), the fixed order they are laid out in, and size counts.
 */

import { TOKENS_CLASSES, TOKENS_SEQUENCE_LENGTH, TOKENS_VOCABULARY_SIZE } from './dataset.js';

export interface TokensModelShape {
  readonly vocabularySize: number;
  /** Sequence length; the learned position embedding has one row per position. */
  readonly positions: number;
  /** d_model: the width of every token's vector between blocks. */
  readonly width: number;
  readonly heads: number;
  readonly feedForwardWidth: number;
  readonly layers: number;
  readonly classes: number;
}

export const TOKENS_MODEL_SHAPE: TokensModelShape = {
  vocabularySize: TOKENS_VOCABULARY_SIZE,
  positions: TOKENS_SEQUENCE_LENGTH,
  width: 32,
  heads: 2,
  feedForwardWidth: 64,
  layers: 1,
  classes: TOKENS_CLASSES.length,
};

/** How a parameter starts training: see initializeParameters in network.ts. */
export type ParameterInit = 'embedding' | 'glorot' | 'ones' | 'zeros';

export interface ParameterSpec {
  /** Also the ONNX initializer name. */
  readonly name: string;
  readonly dims: readonly number[];
  readonly init: ParameterInit;
}

/** Float32 parameters by ParameterSpec name, e.g. 'layer0.query.weight' [width, width] (MatMul layout: [in, out]). */
export interface TokensTransformerWeights {
  readonly shape: TokensModelShape;
  readonly tensors: ReadonlyMap<string, Float32Array>;
}

export function layerPrefix(layer: number): string {
  return `layer${layer}`;
}

function linearSpecs(name: string, inFeatures: number, outFeatures: number): ParameterSpec[] {
  return [
    { name: `${name}.weight`, dims: [inFeatures, outFeatures], init: 'glorot' },
    { name: `${name}.bias`, dims: [outFeatures], init: 'zeros' },
  ];
}

function normSpecs(name: string, width: number): ParameterSpec[] {
  return [
    { name: `${name}.scale`, dims: [width], init: 'ones' },
    { name: `${name}.bias`, dims: [width], init: 'zeros' },
  ];
}

/** Every parameter in layout order: this order fixes the flat training array and the initializer order. */
export function parameterSpecs(shape: TokensModelShape): ParameterSpec[] {
  const { width, feedForwardWidth } = shape;
  const specs: ParameterSpec[] = [
    { name: 'token_embedding', dims: [shape.vocabularySize, width], init: 'embedding' },
    { name: 'position_embedding', dims: [shape.positions, width], init: 'embedding' },
  ];
  for (let layer = 0; layer < shape.layers; layer++) {
    const prefix = layerPrefix(layer);
    specs.push(
      ...normSpecs(`${prefix}.attention_norm`, width),
      ...linearSpecs(`${prefix}.query`, width, width),
      ...linearSpecs(`${prefix}.key`, width, width),
      ...linearSpecs(`${prefix}.value`, width, width),
      ...linearSpecs(`${prefix}.attention_output`, width, width),
      ...normSpecs(`${prefix}.feed_forward_norm`, width),
      ...linearSpecs(`${prefix}.feed_forward_in`, width, feedForwardWidth),
      ...linearSpecs(`${prefix}.feed_forward_out`, feedForwardWidth, width),
    );
  }
  specs.push(...normSpecs('final_norm', width), ...linearSpecs('classifier', width, shape.classes));
  return specs;
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, d) => product * d, 1);
}

export function parameterCount(shape: TokensModelShape): number {
  return parameterSpecs(shape).reduce((total, spec) => total + elementCount(spec.dims), 0);
}

/** Multiply-adds of one sequence: projections, attention scores and mixing, feed-forward, classifier. */
export function countMultiplyAdds(shape: TokensModelShape): number {
  const { positions: n, width: d, feedForwardWidth: f } = shape;
  const perLayer = 4 * n * d * d + 2 * n * n * d + 2 * n * d * f;
  return shape.layers * perLayer + d * shape.classes;
}

/** The named tensor, or a clear error when a model lacks it. */
export function weightTensor(weights: TokensTransformerWeights, name: string): Float32Array {
  const tensor = weights.tensors.get(name);
  if (!tensor) throw new Error(`tokens transformer weights have no tensor '${name}'`);
  return tensor;
}

export function assertShapeSupported(shape: TokensModelShape): void {
  if (shape.width % shape.heads !== 0) {
    throw new RangeError(`width ${shape.width} does not split into ${shape.heads} heads`);
  }
}
