/**
 * ONNX node groups both transformer exports share (the tokens-transformer encoder and
 * tiny-llm's decoder): a linear layer, a LayerNormalization, and the feed-forward half of a
 * pre-LayerNorm block. Node and tensor names come from the parameter names, so both graphs
 * keep their own constant names (`constants`).
 */

import type onnxProto from 'onnx-proto';
import { LAYER_NORM_EPSILON } from './layers/layer-norm.js';
import { floatAttribute, intAttribute, node } from './onnx-builders.js';

export type Nodes = onnxProto.onnx.INodeProto[];

/** MatMul by `${name}.weight` then Add `${name}.bias`; returns the output name. */
export function linearNodes(nodes: Nodes, name: string, input: string): string {
  nodes.push(
    node('MatMul', `${name}.matmul`, [input, `${name}.weight`], [`${name}.product`]),
    node('Add', `${name}.add_bias`, [`${name}.product`, `${name}.bias`], [`${name}.out`]),
  );
  return `${name}.out`;
}

export function layerNormNodes(nodes: Nodes, name: string, input: string): string {
  nodes.push(
    node('LayerNormalization', name, [input, `${name}.scale`, `${name}.bias`], [`${name}.out`], [
      intAttribute('axis', -1),
      floatAttribute('epsilon', LAYER_NORM_EPSILON),
    ]),
  );
  return `${name}.out`;
}

/** Names of the scalar initializers exact GELU uses. */
export interface GeluConstants {
  readonly sqrtTwo: string;
  readonly one: string;
  readonly half: string;
}

/**
 * out = x + feedForwardOut(gelu(feedForwardIn(norm(x)))) for layer prefix `p`, x being
 * `${p}.after_attention`; returns `${p}.out`.
 */
export function feedForwardNodes(nodes: Nodes, p: string, constants: GeluConstants): string {
  const normalized = layerNormNodes(nodes, `${p}.feed_forward_norm`, `${p}.after_attention`);
  const hidden = linearNodes(nodes, `${p}.feed_forward_in`, normalized);
  // Exact GELU: x * 0.5 * (1 + erf(x / sqrt 2)).
  nodes.push(
    node('Div', `${p}.gelu.scale`, [hidden, constants.sqrtTwo], [`${p}.gelu.scaled`]),
    node('Erf', `${p}.gelu.erf`, [`${p}.gelu.scaled`], [`${p}.gelu.erf`]),
    node('Add', `${p}.gelu.add_one`, [`${p}.gelu.erf`, constants.one], [`${p}.gelu.erf_plus_one`]),
    node('Mul', `${p}.gelu.half`, [hidden, constants.half], [`${p}.gelu.half_input`]),
    node('Mul', `${p}.gelu.out`, [`${p}.gelu.half_input`, `${p}.gelu.erf_plus_one`], [`${p}.gelu.out`]),
  );
  const fed = linearNodes(nodes, `${p}.feed_forward_out`, `${p}.gelu.out`);
  nodes.push(node('Add', `${p}.feed_forward_residual`, [`${p}.after_attention`, fed], [`${p}.out`]));
  return `${p}.out`;
}
