/**
 * The tiny-llm pipeline: seeded initial weights -> (optional) training -> ONNX with the KV
 * cache as inputs/outputs -> model.json. Same options give the same bytes.
 */

import { createHash } from 'node:crypto';
import { LAYER_NORM_EPSILON } from '../../workloads/tokens/layers/layer-norm.js';
import {
  DECODER_IO,
  DECODER_ONNX_IR_VERSION,
  DECODER_ONNX_OPSET,
  type DecoderShape,
  headWidth,
  TINY_LLM_NAME,
  TINY_LLM_SHAPE,
} from './config.js';
import { encodeDecoderOnnx } from './onnx-graph.js';
import { decoderParameterCount, decoderWeightsFrom, initializeDecoderParameters } from './weights.js';

export const TINY_LLM_SEED = 7;

/** What training did, for model.json; null when the weights are the seeded initial ones. */
export interface TrainingSummary {
  readonly corpus: string;
  readonly corpusSeed: number;
  readonly documents: number;
  readonly maxDocumentTokens: number;
  /** Where documents are placed in the context window (which position embeddings get trained). */
  readonly placement: string;
  readonly tokens: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly optimizer: string;
  readonly learningRate: number;
  /** Mean next-token cross-entropy (nats per token) of the first step, and of the last 20 steps. */
  readonly firstLoss: number;
  readonly finalLoss: number;
}

/** Trains the flat float64 parameters in place and says what it did. */
export type Trainer = (shape: DecoderShape, params: Float64Array) => TrainingSummary;

export interface TinyLlmBuild {
  readonly onnxBytes: Uint8Array;
  readonly manifest: Record<string, unknown>;
}

function describeArchitecture(shape: DecoderShape): string {
  return [
    `token_embedding(${shape.vocabularySize}x${shape.width}) + position_embedding(${shape.contextLength}x${shape.width})`,
    `[layernorm -> causal self_attention(heads=${shape.heads}, head_width=${headWidth(shape)}, kv cache) + residual -> ` +
      `layernorm -> dense(${shape.width}->${shape.feedForwardWidth}) -> gelu(exact, erf) -> ` +
      `dense(${shape.feedForwardWidth}->${shape.width}) + residual] x ${shape.layers}`,
    'last position only',
    'layernorm',
    `dense(${shape.width}->${shape.vocabularySize})`,
  ].join(' -> ');
}

export function buildTinyLlm(seed: number = TINY_LLM_SEED, train?: Trainer, shape: DecoderShape = TINY_LLM_SHAPE): TinyLlmBuild {
  const params = new Float64Array(decoderParameterCount(shape));
  initializeDecoderParameters(shape, seed, params);
  const training = train ? train(shape, params) : null;
  const weights = decoderWeightsFrom(shape, params);
  const trainedNote = training
    ? `Trained from scratch by mlbench (src/llm/model/training/train.ts) on ${training.tokens} tokens of a seeded generated corpus.`
    : 'UNTRAINED: the weights are the seeded initial ones, so greedy output is arbitrary tokens; only the compute pattern is meaningful.';
  const docString =
    `tiny-llm: a decoder-only transformer (${shape.layers} layers, ${shape.heads} heads, width ${shape.width}, ` +
    `context ${shape.contextLength}) over the mlbench word tokenizer (src/llm/text/word-tokenizer.ts). ${trainedNote} ` +
    'Inputs: input_ids, position_ids int64 [batch, new]; attention_mask int64 [batch, past+new]; ' +
    'past_key_<l>, past_value_<l> float32 [batch, heads, past, head_width]. Outputs: logits of the last position ' +
    'float32 [batch, vocabulary]; present_key_<l>, present_value_<l> [batch, heads, past+new, head_width].';
  const onnxBytes = encodeDecoderOnnx(weights, {
    docString,
    properties: [
      ['architecture', describeArchitecture(shape)],
      ['seed', String(seed)],
      ['trained', String(training !== null)],
      ['layer_norm_epsilon', String(LAYER_NORM_EPSILON)],
    ],
  });
  const manifest = {
    name: TINY_LLM_NAME,
    description: `Decoder-only transformer built by mlbench for the LLM serving benchmark. ${trainedNote}`,
    file: 'model.onnx',
    sha256: createHash('sha256').update(onnxBytes).digest('hex'),
    sizeBytes: onnxBytes.byteLength,
    format: { type: 'onnx', opset: DECODER_ONNX_OPSET, irVersion: DECODER_ONNX_IR_VERSION },
    architecture: describeArchitecture(shape),
    shape,
    parameters: params.length,
    seed,
    tokenizer: {
      name: 'word',
      source: 'src/llm/text/word-tokenizer.ts',
      vocabularySize: shape.vocabularySize,
      specialIds: { pad: 0, bos: 1, eos: 2 },
    },
    inputs: {
      [DECODER_IO.inputIds]: 'int64 [batch, new]',
      [DECODER_IO.positionIds]: 'int64 [batch, new]: the absolute position of each new token',
      [DECODER_IO.attentionMask]: 'int64 [batch, past+new]: 1 attend, 0 padding (left padding of shorter pasts)',
      'past_key_<l>, past_value_<l>': `float32 [batch, ${shape.heads}, past, ${headWidth(shape)}]; past may be 0`,
    },
    outputs: {
      [DECODER_IO.logits]: `float32 [batch, ${shape.vocabularySize}]: the last new position only`,
      'present_key_<l>, present_value_<l>': `float32 [batch, ${shape.heads}, past+new, ${headWidth(shape)}]`,
    },
    trained: training !== null,
    training,
  };
  return { onnxBytes, manifest };
}
