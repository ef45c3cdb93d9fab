/**
 * A position-wise linear layer over a sequence: out[r] = input[r] x weight + bias
 * for each row r, with weight stored [inFeatures, outFeatures] as ONNX MatMul
 * (and Gemm without transposes) expects. Rows are the sequence positions.
 */

/** Parameters and gradients; views into the network's flat arrays. */
export interface LinearLayer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Float64Array;
  readonly bias: Float64Array;
  readonly weightGrad: Float64Array;
  readonly biasGrad: Float64Array;
}

/**
 * Each output starts from the bias and adds inputs in ascending order; the
 * innermost loop runs along a weight row so its reads are contiguous.
 */
export function linearForward(layer: LinearLayer, input: Float64Array, output: Float64Array, rows: number): void {
  const { inFeatures, outFeatures, weight, bias } = layer;
  for (let r = 0; r < rows; r++) {
    const outBase = r * outFeatures;
    for (let o = 0; o < outFeatures; o++) output[outBase + o] = bias[o]!;
    const inBase = r * inFeatures;
    for (let i = 0; i < inFeatures; i++) {
      const x = input[inBase + i]!;
      const weightBase = i * outFeatures;
      for (let o = 0; o < outFeatures; o++) output[outBase + o] = output[outBase + o]! + x * weight[weightBase + o]!;
    }
  }
}

/**
 * Adds this sequence's weight and bias gradients (accumulated across a batch)
 * and, when `inputGrad` is given, overwrites it with the gradient w.r.t. input.
 */
export function linearBackward(
  layer: LinearLayer,
  input: Float64Array,
  outputGrad: Float64Array,
  inputGrad: Float64Array | null,
  rows: number,
): void {
  const { inFeatures, outFeatures, weight, weightGrad, biasGrad } = layer;
  for (let r = 0; r < rows; r++) {
    const outBase = r * outFeatures;
    for (let o = 0; o < outFeatures; o++) biasGrad[o] = biasGrad[o]! + outputGrad[outBase + o]!;
    const inBase = r * inFeatures;
    for (let i = 0; i < inFeatures; i++) {
      const x = input[inBase + i]!;
      const weightBase = i * outFeatures;
      let sum = 0;
      for (let o = 0; o < outFeatures; o++) {
        const g = outputGrad[outBase + o]!;
        weightGrad[weightBase + o] = weightGrad[weightBase + o]! + x * g;
        sum += g * weight[weightBase + o]!;
      }
      if (inputGrad) inputGrad[inBase + i] = sum;
    }
  }
}
