/**
 * Layer normalization over the last axis, as ONNX LayerNormalization (axis -1)
 * computes it: y = (x - mean) / sqrt(variance + epsilon) * scale + bias, with
 * the biased variance.
 */

/** The epsilon ONNX LayerNormalization uses by default; the export writes it explicitly. */
export const LAYER_NORM_EPSILON = 1e-5;

/** Parameters and gradients; views into the network's flat arrays. */
export interface LayerNormParams {
  readonly width: number;
  readonly scale: Float64Array;
  readonly bias: Float64Array;
  readonly scaleGrad: Float64Array;
  readonly biasGrad: Float64Array;
}

/** What forward keeps for backward, per use of the layer: one row per position. */
export interface LayerNormCache {
  /** (x - mean) * inverseStd, [rows, width]. */
  readonly normalized: Float64Array;
  /** 1 / sqrt(variance + epsilon), [rows]. */
  readonly inverseStd: Float64Array;
}

export function createLayerNormCache(rows: number, width: number): LayerNormCache {
  return { normalized: new Float64Array(rows * width), inverseStd: new Float64Array(rows) };
}

export function layerNormForward(
  params: LayerNormParams,
  cache: LayerNormCache,
  input: Float64Array,
  output: Float64Array,
  rows: number,
): void {
  const { width, scale, bias } = params;
  const { normalized, inverseStd } = cache;
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    let sum = 0;
    for (let i = 0; i < width; i++) sum += input[base + i]!;
    const mean = sum / width;
    let squares = 0;
    for (let i = 0; i < width; i++) {
      const centred = input[base + i]! - mean;
      squares += centred * centred;
    }
    const inv = 1 / Math.sqrt(squares / width + LAYER_NORM_EPSILON);
    inverseStd[r] = inv;
    for (let i = 0; i < width; i++) {
      const n = (input[base + i]! - mean) * inv;
      normalized[base + i] = n;
      output[base + i] = n * scale[i]! + bias[i]!;
    }
  }
}

/**
 * Adds scale and bias gradients and overwrites inputGrad with
 * inverseStd * (g - mean(g) - normalized * mean(g * normalized)), g = outputGrad * scale.
 */
export function layerNormBackward(
  params: LayerNormParams,
  cache: LayerNormCache,
  outputGrad: Float64Array,
  inputGrad: Float64Array,
  rows: number,
): void {
  const { width, scale, scaleGrad, biasGrad } = params;
  const { normalized, inverseStd } = cache;
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    let gradSum = 0;
    let gradDotNormalized = 0;
    for (let i = 0; i < width; i++) {
      const dy = outputGrad[base + i]!;
      const n = normalized[base + i]!;
      scaleGrad[i] = scaleGrad[i]! + dy * n;
      biasGrad[i] = biasGrad[i]! + dy;
      const g = dy * scale[i]!;
      gradSum += g;
      gradDotNormalized += g * n;
    }
    const meanGrad = gradSum / width;
    const meanGradDotNormalized = gradDotNormalized / width;
    const inv = inverseStd[r]!;
    for (let i = 0; i < width; i++) {
      const g = outputGrad[base + i]! * scale[i]!;
      inputGrad[base + i] = inv * (g - meanGrad - normalized[base + i]! * meanGradDotNormalized);
    }
  }
}
