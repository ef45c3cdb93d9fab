/**
 * The core of multi-head self-attention, between the projections: for each
 * head, softmax(q k^T / sqrt(headWidth)) v over the first `rows` positions of
 * the sequence, every position seeing all of them (the encoder) or, causal,
 * query i seeing keys 0..i only (a decoder). q, k, v and the output are
 * [positions, width]; head h owns columns h*headWidth .. (h+1)*headWidth-1, as
 * the ONNX Reshape [0, 0, heads, headWidth] splits them.
 */

import { softmaxRange } from '../math.js';

export interface AttentionShape {
  readonly positions: number;
  readonly width: number;
  readonly heads: number;
  /** Query i attends to keys 0..i only. */
  readonly causal?: boolean;
}

/** One past the last key query i attends to. */
function keyEnd(shape: AttentionShape, rows: number, i: number): number {
  return shape.causal === true ? i + 1 : rows;
}

/** The factor the scores are multiplied by: 1 / sqrt(headWidth). */
export function attentionScale(shape: AttentionShape): number {
  return 1 / Math.sqrt(shape.width / shape.heads);
}

/**
 * Fills probs [heads, positions, positions] with the attention weights and output with their mix
 * of v, for the first `rows` positions (all of them by default).
 */
export function attentionForward(
  shape: AttentionShape,
  q: Float64Array,
  k: Float64Array,
  v: Float64Array,
  probs: Float64Array,
  output: Float64Array,
  rows = shape.positions,
): void {
  const { positions, width, heads } = shape;
  const headWidth = width / heads;
  const scale = attentionScale(shape);
  for (let h = 0; h < heads; h++) {
    const column = h * headWidth;
    for (let i = 0; i < rows; i++) {
      const row = (h * positions + i) * positions;
      const qBase = i * width + column;
      const keys = keyEnd(shape, rows, i);
      for (let j = 0; j < keys; j++) {
        const kBase = j * width + column;
        let dot = 0;
        for (let c = 0; c < headWidth; c++) dot += q[qBase + c]! * k[kBase + c]!;
        probs[row + j] = dot * scale;
      }
      softmaxRange(probs, row, keys);
      for (let c = 0; c < headWidth; c++) output[qBase + c] = 0;
      for (let j = 0; j < keys; j++) {
        const p = probs[row + j]!;
        const vBase = j * width + column;
        for (let c = 0; c < headWidth; c++) output[qBase + c] = output[qBase + c]! + p * v[vBase + c]!;
      }
    }
  }
}

/**
 * Overwrites qGrad, kGrad and vGrad (their first `rows` positions) with the
 * gradients of the loss given outputGrad. `rowScratch` holds `positions` values.
 */
export function attentionBackward(
  shape: AttentionShape,
  q: Float64Array,
  k: Float64Array,
  v: Float64Array,
  probs: Float64Array,
  outputGrad: Float64Array,
  qGrad: Float64Array,
  kGrad: Float64Array,
  vGrad: Float64Array,
  rowScratch: Float64Array,
  rows = shape.positions,
): void {
  const { positions, width, heads } = shape;
  const headWidth = width / heads;
  const scale = attentionScale(shape);
  const used = rows * width;
  qGrad.fill(0, 0, used);
  kGrad.fill(0, 0, used);
  vGrad.fill(0, 0, used);
  for (let h = 0; h < heads; h++) {
    const column = h * headWidth;
    for (let i = 0; i < rows; i++) {
      const row = (h * positions + i) * positions;
      const iBase = i * width + column;
      const keys = keyEnd(shape, rows, i);
      // d(loss)/d(probs[i, j]), and v's share of the gradient.
      let weighted = 0;
      for (let j = 0; j < keys; j++) {
        const p = probs[row + j]!;
        const jBase = j * width + column;
        let dot = 0;
        for (let c = 0; c < headWidth; c++) {
          const g = outputGrad[iBase + c]!;
          dot += g * v[jBase + c]!;
          vGrad[jBase + c] = vGrad[jBase + c]! + p * g;
        }
        rowScratch[j] = dot;
        weighted += p * dot;
      }
      // Through the softmax: dScore = p * (dProb - sum_j p dProb), then through the scaled dot product.
      for (let j = 0; j < keys; j++) {
        const scoreGrad = probs[row + j]! * (rowScratch[j]! - weighted) * scale;
        const jBase = j * width + column;
        for (let c = 0; c < headWidth; c++) {
          qGrad[iBase + c] = qGrad[iBase + c]! + scoreGrad * k[jBase + c]!;
          kGrad[jBase + c] = kGrad[jBase + c]! + scoreGrad * q[iBase + c]!;
        }
      }
    }
  }
}
