/**
 * Causal multi-head attention for training, one sequence at a time: query i sees keys
 * 0..i. The same head split as the encoder's (src/workloads/tokens/layers/attention.ts):
 * head h owns columns h*headWidth .. (h+1)*headWidth-1, as the ONNX Reshape splits them.
 * q, k, v and the output are [rows, width]; probs is [heads, rows, rows] (only j <= i is used).
 */

import { type AttentionShape, attentionScale } from '../../../workloads/tokens/layers/attention.js';
import { softmaxRange } from '../../../workloads/tokens/math.js';

export function causalAttentionForward(
  shape: AttentionShape,
  rows: number,
  q: Float64Array,
  k: Float64Array,
  v: Float64Array,
  probs: Float64Array,
  output: Float64Array,
): void {
  const { positions, width, heads } = shape;
  const headWidth = width / heads;
  const scale = attentionScale(shape);
  for (let h = 0; h < heads; h++) {
    const column = h * headWidth;
    for (let i = 0; i < rows; i++) {
      const row = (h * positions + i) * positions;
      const qBase = i * width + column;
      for (let j = 0; j <= i; j++) {
        const kBase = j * width + column;
        let dot = 0;
        for (let c = 0; c < headWidth; c++) dot += q[qBase + c]! * k[kBase + c]!;
        probs[row + j] = dot * scale;
      }
      softmaxRange(probs, row, i + 1);
      for (let c = 0; c < headWidth; c++) output[qBase + c] = 0;
      for (let j = 0; j <= i; j++) {
        const p = probs[row + j]!;
        const vBase = j * width + column;
        for (let c = 0; c < headWidth; c++) output[qBase + c] = output[qBase + c]! + p * v[vBase + c]!;
      }
    }
  }
}

/** Overwrites qGrad, kGrad and vGrad (first `rows` rows) given outputGrad; rowScratch holds `positions` values. */
export function causalAttentionBackward(
  shape: AttentionShape,
  rows: number,
  q: Float64Array,
  k: Float64Array,
  v: Float64Array,
  probs: Float64Array,
  outputGrad: Float64Array,
  qGrad: Float64Array,
  kGrad: Float64Array,
  vGrad: Float64Array,
  rowScratch: Float64Array,
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
      let weighted = 0;
      for (let j = 0; j <= i; j++) {
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
      for (let j = 0; j <= i; j++) {
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
