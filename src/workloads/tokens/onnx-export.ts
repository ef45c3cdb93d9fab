/**
 * Encodes trained tokens-transformer weights as an ONNX model (opset 17, IR 8)
 * using only the ops the project's other converters (TF.js, int8/fp16) support:
 * Gather, Add, Sub, Mul, Div, MatMul, Gemm, Reshape, Transpose, Softmax,
 * LayerNormalization, Erf, ReduceMean, Sqrt, Pow, Concat, Slice. Constants are
 * initializers (no Constant nodes); Reshape shapes use 0 to keep the dynamic
 * batch dimension.
 *
 * The bytes depend only on the weights and the given metadata: fields are
 * written in protobuf field order, tensors as little-endian raw_data, and
 * nothing time- or machine-dependent is included.
 */

import onnxProto from 'onnx-proto';
import { attentionScale } from './layers/attention.js';
import { feedForwardNodes, layerNormNodes, linearNodes, type Nodes } from './onnx-blocks.js';
import {
  FLOAT,
  floatInitializer,
  INT32,
  int64Initializer,
  intAttribute,
  intsAttribute,
  node,
  valueInfo,
} from './onnx-builders.js';
import { layerPrefix, parameterSpecs, type TokensTransformerWeights, weightTensor } from './weights.js';

const { onnx } = onnxProto;

export const TOKENS_ONNX_INPUT_NAME = 'tokens';
export const TOKENS_ONNX_OUTPUT_NAME = 'logits';
export const TOKENS_ONNX_BATCH_DIM = 'batch';
export const TOKENS_ONNX_OPSET = 17;
export const TOKENS_ONNX_IR_VERSION = 8;
export const TOKENS_ONNX_PRODUCER = 'mlbench';

/** Names of the constant initializers the graph shares between layers. */
export const TOKENS_ONNX_CONSTANTS = {
  /** int64 [0, 0, heads, headWidth]: splits [batch, positions, width] into heads. */
  splitHeads: 'attention.split_heads_shape',
  /** int64 [0, 0, width]: joins the heads back. */
  joinHeads: 'attention.join_heads_shape',
  attentionScale: 'attention.scale',
  sqrtTwo: 'gelu.sqrt_two',
  one: 'gelu.one',
  half: 'gelu.half',
} as const;

export interface OnnxExportMetadata {
  docString: string;
  /** Written to metadata_props in this order. */
  properties: ReadonlyArray<readonly [string, string]>;
}

/** [batch, positions, width] -> [batch, heads, positions, headWidth] (or [.., headWidth, positions] for keys). */
function splitHeads(nodes: Nodes, name: string, input: string, transposedForKeys: boolean): string {
  nodes.push(
    node('Reshape', `${name}.split_heads`, [input, TOKENS_ONNX_CONSTANTS.splitHeads], [`${name}.split`]),
    node('Transpose', `${name}.heads_first`, [`${name}.split`], [`${name}.heads`], [
      intsAttribute('perm', transposedForKeys ? [0, 2, 3, 1] : [0, 2, 1, 3]),
    ]),
  );
  return `${name}.heads`;
}

/** One pre-LayerNorm encoder block; returns the output name. */
function encoderLayer(nodes: Nodes, layer: number, input: string): string {
  const p = layerPrefix(layer);
  const normalized = layerNormNodes(nodes, `${p}.attention_norm`, input);
  const q = splitHeads(nodes, `${p}.query`, linearNodes(nodes, `${p}.query`, normalized), false);
  const k = splitHeads(nodes, `${p}.key`, linearNodes(nodes, `${p}.key`, normalized), true);
  const v = splitHeads(nodes, `${p}.value`, linearNodes(nodes, `${p}.value`, normalized), false);
  nodes.push(
    node('MatMul', `${p}.scores`, [q, k], [`${p}.scores`]),
    node('Mul', `${p}.scale_scores`, [`${p}.scores`, TOKENS_ONNX_CONSTANTS.attentionScale], [`${p}.scaled_scores`]),
    node('Softmax', `${p}.softmax`, [`${p}.scaled_scores`], [`${p}.weights`], [intAttribute('axis', -1)]),
    node('MatMul', `${p}.mix`, [`${p}.weights`, v], [`${p}.mixed_heads`]),
    node('Transpose', `${p}.positions_first`, [`${p}.mixed_heads`], [`${p}.mixed_split`], [
      intsAttribute('perm', [0, 2, 1, 3]),
    ]),
    node('Reshape', `${p}.join_heads`, [`${p}.mixed_split`, TOKENS_ONNX_CONSTANTS.joinHeads], [`${p}.mixed`]),
  );
  const attended = linearNodes(nodes, `${p}.attention_output`, `${p}.mixed`);
  nodes.push(node('Add', `${p}.attention_residual`, [input, attended], [`${p}.after_attention`]));

  return feedForwardNodes(nodes, p, TOKENS_ONNX_CONSTANTS);
}

/**
 * Gather(token_embedding) + position_embedding -> encoder layers ->
 * LayerNormalization -> ReduceMean over positions -> Gemm.
 */
function buildGraph(weights: TokensTransformerWeights): onnxProto.onnx.IGraphProto {
  const { shape } = weights;
  const nodes: Nodes = [
    node('Gather', 'token_embedding', ['token_embedding', TOKENS_ONNX_INPUT_NAME], ['token_vectors'], [
      intAttribute('axis', 0),
    ]),
    node('Add', 'add_position_embedding', ['token_vectors', 'position_embedding'], ['embedded']),
  ];
  let current = 'embedded';
  for (let layer = 0; layer < shape.layers; layer++) current = encoderLayer(nodes, layer, current);
  const normalized = layerNormNodes(nodes, 'final_norm', current);
  nodes.push(
    node('ReduceMean', 'mean_over_positions', [normalized], ['pooled'], [
      intsAttribute('axes', [1]),
      intAttribute('keepdims', 0),
    ]),
    node('Gemm', 'classifier', ['pooled', 'classifier.weight', 'classifier.bias'], [TOKENS_ONNX_OUTPUT_NAME]),
  );

  const initializers = parameterSpecs(shape).map((spec) =>
    floatInitializer(spec.name, spec.dims, weightTensor(weights, spec.name)),
  );
  const headWidth = shape.width / shape.heads;
  initializers.push(
    int64Initializer(TOKENS_ONNX_CONSTANTS.splitHeads, [0, 0, shape.heads, headWidth]),
    int64Initializer(TOKENS_ONNX_CONSTANTS.joinHeads, [0, 0, shape.width]),
    floatInitializer(TOKENS_ONNX_CONSTANTS.attentionScale, [], Float32Array.of(attentionScale(shape))),
    floatInitializer(TOKENS_ONNX_CONSTANTS.sqrtTwo, [], Float32Array.of(Math.SQRT2)),
    floatInitializer(TOKENS_ONNX_CONSTANTS.one, [], Float32Array.of(1)),
    floatInitializer(TOKENS_ONNX_CONSTANTS.half, [], Float32Array.of(0.5)),
  );
  return {
    name: 'tokens_transformer',
    node: nodes,
    initializer: initializers,
    input: [valueInfo(TOKENS_ONNX_INPUT_NAME, INT32, [TOKENS_ONNX_BATCH_DIM, shape.positions])],
    output: [valueInfo(TOKENS_ONNX_OUTPUT_NAME, FLOAT, [TOKENS_ONNX_BATCH_DIM, shape.classes])],
  };
}

export function encodeTokensTransformerOnnx(
  weights: TokensTransformerWeights,
  metadata: OnnxExportMetadata,
): Uint8Array {
  const model: onnxProto.onnx.IModelProto = {
    irVersion: TOKENS_ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: TOKENS_ONNX_OPSET }],
    producerName: TOKENS_ONNX_PRODUCER,
    docString: metadata.docString,
    graph: buildGraph(weights),
    metadataProps: metadata.properties.map(([key, value]) => ({ key, value })),
  };
  return onnx.ModelProto.encode(model).finish();
}
