/**
 * The built-in decoder-only model's size and its ONNX interface: the names and layouts the
 * exporter writes and the engine feeds. One place, so the two cannot drift apart.
 */

import { WordTokenizer } from '../text/word-tokenizer.js';

export const TINY_LLM_NAME = 'tiny-llm';

export interface DecoderShape {
  readonly vocabularySize: number;
  /** Context window: the learned position embedding has one row per position. */
  readonly contextLength: number;
  /** d_model. */
  readonly width: number;
  readonly heads: number;
  readonly feedForwardWidth: number;
  readonly layers: number;
}

export const TINY_LLM_SHAPE: DecoderShape = {
  vocabularySize: new WordTokenizer().vocabSize,
  contextLength: 512,
  width: 64,
  heads: 4,
  feedForwardWidth: 256,
  layers: 2,
};

export function headWidth(shape: DecoderShape): number {
  return shape.width / shape.heads;
}

/** Graph inputs and outputs; per-layer cache tensors are named by the functions below. */
export const DECODER_IO = {
  inputIds: 'input_ids',
  positionIds: 'position_ids',
  attentionMask: 'attention_mask',
  logits: 'logits',
} as const;

export const pastKeyName = (layer: number): string => `past_key_${layer}`;
export const pastValueName = (layer: number): string => `past_value_${layer}`;
export const presentKeyName = (layer: number): string => `present_key_${layer}`;
export const presentValueName = (layer: number): string => `present_value_${layer}`;

export const DECODER_ONNX_OPSET = 17;
export const DECODER_ONNX_IR_VERSION = 8;
