/**
 * Reads the weights back from a model written by encodeTokensTransformerOnnx,
 * so tests can run the pure-TS forward pass on the exported file itself.
 */

import onnxProto from 'onnx-proto';
import { readFloatTensor, readInt64Tensor, tensorDims } from './onnx-builders.js';
import { TOKENS_ONNX_CONSTANTS } from './onnx-export.js';
import { layerPrefix, parameterSpecs, type TokensModelShape, type TokensTransformerWeights } from './weights.js';

const { onnx } = onnxProto;

export function decodeTokensTransformerOnnx(bytes: Uint8Array): TokensTransformerWeights {
  const graph = onnx.ModelProto.decode(bytes).graph;
  if (!graph) throw new Error('model has no graph');
  const tensors = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t] as const));
  const dims = (name: string): number[] => {
    const tensor = tensors.get(name);
    if (!tensor) throw new Error(`initializer ${name} missing`);
    return tensorDims(tensor);
  };
  const splitShape = tensors.get(TOKENS_ONNX_CONSTANTS.splitHeads);
  if (!splitShape) throw new Error(`initializer ${TOKENS_ONNX_CONSTANTS.splitHeads} missing`);
  let layers = 0;
  while (tensors.has(`${layerPrefix(layers)}.query.weight`)) layers++;
  const [vocabularySize, width] = dims('token_embedding') as [number, number];
  const shape: TokensModelShape = {
    vocabularySize,
    positions: dims('position_embedding')[0]!,
    width,
    heads: readInt64Tensor(splitShape)[2]!,
    feedForwardWidth: dims(`${layerPrefix(0)}.feed_forward_in.weight`)[1]!,
    layers,
    classes: dims('classifier.weight')[1]!,
  };
  const weights = new Map<string, Float32Array>();
  for (const spec of parameterSpecs(shape)) {
    const tensor = tensors.get(spec.name);
    if (!tensor) throw new Error(`initializer ${spec.name} missing`);
    if (tensorDims(tensor).join('x') !== spec.dims.join('x')) {
      throw new Error(`initializer ${spec.name} is ${tensorDims(tensor).join('x')}, expected ${spec.dims.join('x')}`);
    }
    weights.set(spec.name, readFloatTensor(tensor));
  }
  return { shape, tensors: weights };
}
