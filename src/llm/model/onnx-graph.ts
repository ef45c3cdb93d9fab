/**
 * The decoder as an ONNX graph with its key/value cache as explicit inputs and outputs, so a
 * generation engine can prefill a prompt (T tokens, no past) and then decode one token at a
 * time (T = 1, past P) with the same model:
 *
 *   input_ids, position_ids int64 [B, T]; attention_mask int64 [B, P+T] (1 attend, 0 padding);
 *   past_key_l, past_value_l float32 [B, heads, P, headWidth]
 *   -> logits float32 [B, vocabulary] of the last position only,
 *      present_key_l, present_value_l [B, heads, P+T, headWidth] (past then new).
 *
 * Attention adds a bias of -1e9 where a key is padding (attention_mask 0) or lies after the
 * query (causal, counted from the query's place P+i among the P+T keys). Built from the
 * onnx-proto builders the tokens-transformer exporter uses; constants are initializers.
 */

import onnxProto from 'onnx-proto';
import { attentionScale } from '../../workloads/tokens/layers/attention.js';
import { feedForwardNodes, layerNormNodes, linearNodes, type Nodes } from '../../workloads/tokens/onnx-blocks.js';
import {
  FLOAT,
  floatInitializer,
  INT64,
  int64Initializer,
  intAttribute,
  intsAttribute,
  node,
  valueInfo,
} from '../../workloads/tokens/onnx-builders.js';
import { layerPrefix } from '../../workloads/tokens/weights.js';
import {
  DECODER_IO,
  DECODER_ONNX_IR_VERSION,
  DECODER_ONNX_OPSET,
  headWidth,
  pastKeyName,
  pastValueName,
  presentKeyName,
  presentValueName,
} from './config.js';
import { type DecoderWeights, decoderParameterSpecs, decoderWeightTensor, OUTPUT_PROJECTION } from './weights.js';

const { onnx } = onnxProto;

/** Added to the scores of keys a query may not see; exp() of it underflows to exactly 0. */
export const MASKED_SCORE = -1e9;

const C = {
  splitHeads: 'const.split_heads_shape',
  joinHeads: 'const.join_heads_shape',
  lastPositionShape: 'const.last_position_shape',
  attentionScale: 'const.attention_scale',
  sqrtTwo: 'const.sqrt_two',
  one: 'const.one',
  half: 'const.half',
  masked: 'const.masked_score',
  zero: 'const.zero',
  axisOne: 'const.axis_1',
  axesOneTwo: 'const.axes_1_2',
  index1: 'const.index_1',
  index2: 'const.index_2',
  int0: 'const.int_0',
  int1: 'const.int_1',
  sliceLast: 'const.slice_last_start',
  sliceEnd: 'const.slice_end',
} as const;

function int64Scalar(name: string, value: number): onnxProto.onnx.ITensorProto {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, BigInt(value), true);
  return { name, dims: [], dataType: INT64, rawData: bytes };
}

/** [B, T, width] -> [B, heads, T, headWidth]. */
function splitHeads(nodes: Nodes, name: string, input: string): string {
  nodes.push(
    node('Reshape', `${name}.split_heads`, [input, C.splitHeads], [`${name}.split`]),
    node('Transpose', `${name}.heads_first`, [`${name}.split`], [`${name}.heads`], [intsAttribute('perm', [0, 2, 1, 3])]),
  );
  return `${name}.heads`;
}

/**
 * The additive attention bias [B, 1, T, P+T]: padding from attention_mask, causality from
 * the positions of queries (P..P+T-1) and keys (0..P+T-1) in the concatenated cache.
 */
function attentionBias(nodes: Nodes): string {
  nodes.push(
    node('Shape', 'bias.ids_shape', [DECODER_IO.inputIds], ['bias.ids_shape']),
    node('Gather', 'bias.new_count', ['bias.ids_shape', C.index1], ['bias.new_count'], [intAttribute('axis', 0)]),
    node('Shape', 'bias.past_shape', [pastKeyName(0)], ['bias.past_shape']),
    node('Gather', 'bias.past_count', ['bias.past_shape', C.index2], ['bias.past_count'], [intAttribute('axis', 0)]),
    node('Add', 'bias.total_count', ['bias.past_count', 'bias.new_count'], ['bias.total_count']),
    node('Range', 'bias.key_places', [C.int0, 'bias.total_count', C.int1], ['bias.key_places']),
    node('Range', 'bias.query_places', ['bias.past_count', 'bias.total_count', C.int1], ['bias.query_places']),
    node('Unsqueeze', 'bias.query_column', ['bias.query_places', C.axisOne], ['bias.query_column']),
    node('Less', 'bias.key_in_future', ['bias.query_column', 'bias.key_places'], ['bias.key_in_future']),
    node('Where', 'bias.causal', ['bias.key_in_future', C.masked, C.zero], ['bias.causal']),
    node('Cast', 'bias.mask_float', [DECODER_IO.attentionMask], ['bias.mask_float'], [intAttribute('to', FLOAT)]),
    node('Sub', 'bias.is_padding', [C.one, 'bias.mask_float'], ['bias.is_padding']),
    node('Mul', 'bias.padding_scores', ['bias.is_padding', C.masked], ['bias.padding_scores']),
    node('Unsqueeze', 'bias.padding', ['bias.padding_scores', C.axesOneTwo], ['bias.padding']),
    node('Add', 'bias.total', ['bias.padding', 'bias.causal'], ['attention_bias']),
  );
  return 'attention_bias';
}

/** One pre-LayerNorm decoder block; appends this layer's cache to its past. */
function decoderLayer(nodes: Nodes, layer: number, input: string, bias: string): string {
  const p = layerPrefix(layer);
  const normalized = layerNormNodes(nodes, `${p}.attention_norm`, input);
  const q = splitHeads(nodes, `${p}.query`, linearNodes(nodes, `${p}.query`, normalized));
  const k = splitHeads(nodes, `${p}.key`, linearNodes(nodes, `${p}.key`, normalized));
  const v = splitHeads(nodes, `${p}.value`, linearNodes(nodes, `${p}.value`, normalized));
  const presentKey = presentKeyName(layer);
  const presentValue = presentValueName(layer);
  nodes.push(
    node('Concat', `${p}.present_key`, [pastKeyName(layer), k], [presentKey], [intAttribute('axis', 2)]),
    node('Concat', `${p}.present_value`, [pastValueName(layer), v], [presentValue], [intAttribute('axis', 2)]),
    node('Transpose', `${p}.keys_transposed`, [presentKey], [`${p}.keys_t`], [intsAttribute('perm', [0, 1, 3, 2])]),
    node('MatMul', `${p}.scores`, [q, `${p}.keys_t`], [`${p}.scores`]),
    node('Mul', `${p}.scale_scores`, [`${p}.scores`, C.attentionScale], [`${p}.scaled_scores`]),
    node('Add', `${p}.mask_scores`, [`${p}.scaled_scores`, bias], [`${p}.masked_scores`]),
    node('Softmax', `${p}.softmax`, [`${p}.masked_scores`], [`${p}.weights`], [intAttribute('axis', -1)]),
    node('MatMul', `${p}.mix`, [`${p}.weights`, presentValue], [`${p}.mixed_heads`]),
    node('Transpose', `${p}.positions_first`, [`${p}.mixed_heads`], [`${p}.mixed_split`], [
      intsAttribute('perm', [0, 2, 1, 3]),
    ]),
    node('Reshape', `${p}.join_heads`, [`${p}.mixed_split`, C.joinHeads], [`${p}.mixed`]),
  );
  const attended = linearNodes(nodes, `${p}.attention_output`, `${p}.mixed`);
  nodes.push(node('Add', `${p}.attention_residual`, [input, attended], [`${p}.after_attention`]));

  return feedForwardNodes(nodes, p, C);
}

function buildGraph(weights: DecoderWeights): onnxProto.onnx.IGraphProto {
  const { shape } = weights;
  const nodes: Nodes = [
    node('Gather', 'token_embedding', ['token_embedding', DECODER_IO.inputIds], ['token_vectors'], [
      intAttribute('axis', 0),
    ]),
    node('Gather', 'position_embedding', ['position_embedding', DECODER_IO.positionIds], ['position_vectors'], [
      intAttribute('axis', 0),
    ]),
    node('Add', 'embed', ['token_vectors', 'position_vectors'], ['embedded']),
  ];
  const bias = attentionBias(nodes);
  let current = 'embedded';
  for (let layer = 0; layer < shape.layers; layer++) current = decoderLayer(nodes, layer, current, bias);
  // Only the last position's logits are needed (prefill and decode alike): slice before the norm.
  nodes.push(
    node('Slice', 'last_position', [current, C.sliceLast, C.sliceEnd, C.axisOne], ['last_position']),
    node('Reshape', 'last_position_flat', ['last_position', C.lastPositionShape], ['last_vector']),
  );
  const normalized = layerNormNodes(nodes, 'final_norm', 'last_vector');
  nodes.push(
    node('MatMul', 'output_projection', [normalized, `${OUTPUT_PROJECTION}.weight`], ['output_product']),
    node('Add', 'output_bias', ['output_product', `${OUTPUT_PROJECTION}.bias`], [DECODER_IO.logits]),
  );

  const initializers = decoderParameterSpecs(shape).map((spec) =>
    floatInitializer(spec.name, spec.dims, decoderWeightTensor(weights, spec.name)),
  );
  const scale = attentionScale({ positions: shape.contextLength, width: shape.width, heads: shape.heads });
  initializers.push(
    int64Initializer(C.splitHeads, [0, 0, shape.heads, headWidth(shape)]),
    int64Initializer(C.joinHeads, [0, 0, shape.width]),
    int64Initializer(C.lastPositionShape, [0, shape.width]),
    floatInitializer(C.attentionScale, [], Float32Array.of(scale)),
    floatInitializer(C.sqrtTwo, [], Float32Array.of(Math.SQRT2)),
    floatInitializer(C.one, [], Float32Array.of(1)),
    floatInitializer(C.half, [], Float32Array.of(0.5)),
    floatInitializer(C.masked, [], Float32Array.of(MASKED_SCORE)),
    floatInitializer(C.zero, [], Float32Array.of(0)),
    int64Initializer(C.axisOne, [1]),
    int64Initializer(C.axesOneTwo, [1, 2]),
    int64Scalar(C.index1, 1),
    int64Scalar(C.index2, 2),
    int64Scalar(C.int0, 0),
    int64Scalar(C.int1, 1),
    int64Initializer(C.sliceLast, [-1]),
    int64Initializer(C.sliceEnd, [Number.MAX_SAFE_INTEGER]),
  );

  const cache = (name: (layer: number) => string, length: string): onnxProto.onnx.IValueInfoProto[] =>
    Array.from({ length: shape.layers }, (_, layer) =>
      valueInfo(name(layer), FLOAT, ['batch', shape.heads, length, headWidth(shape)]),
    );
  const pastInputs: onnxProto.onnx.IValueInfoProto[] = [];
  const presentOutputs: onnxProto.onnx.IValueInfoProto[] = [];
  const pastKeys = cache(pastKeyName, 'past');
  const pastValues = cache(pastValueName, 'past');
  const presentKeys = cache(presentKeyName, 'total');
  const presentValues = cache(presentValueName, 'total');
  for (let layer = 0; layer < shape.layers; layer++) {
    pastInputs.push(pastKeys[layer]!, pastValues[layer]!);
    presentOutputs.push(presentKeys[layer]!, presentValues[layer]!);
  }
  return {
    name: 'tiny_llm_decoder',
    node: nodes,
    initializer: initializers,
    input: [
      valueInfo(DECODER_IO.inputIds, INT64, ['batch', 'new']),
      valueInfo(DECODER_IO.positionIds, INT64, ['batch', 'new']),
      valueInfo(DECODER_IO.attentionMask, INT64, ['batch', 'total']),
      ...pastInputs,
    ],
    output: [valueInfo(DECODER_IO.logits, FLOAT, ['batch', shape.vocabularySize]), ...presentOutputs],
  };
}

export interface DecoderOnnxMetadata {
  readonly docString: string;
  /** Written to metadata_props in this order. */
  readonly properties: ReadonlyArray<readonly [string, string]>;
}

/** Same weights and metadata give the same bytes. */
export function encodeDecoderOnnx(weights: DecoderWeights, metadata: DecoderOnnxMetadata): Uint8Array {
  const model: onnxProto.onnx.IModelProto = {
    irVersion: DECODER_ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: DECODER_ONNX_OPSET }],
    producerName: 'mlbench',
    docString: metadata.docString,
    graph: buildGraph(weights),
    metadataProps: metadata.properties.map(([key, value]) => ({ key, value })),
  };
  return onnx.ModelProto.encode(model).finish();
}
