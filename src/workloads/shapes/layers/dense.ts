/**
 * The fully connected classifier head: out = weight x input + bias, with
 * weight stored [outFeatures, inFeatures] as ONNX Gemm (transB = 1) expects.
 */

/** Parameters and gradients of the dense layer; views into the network's flat arrays. */
export interface DenseLayer {
  inFeatures: number;
  outFeatures: number;
  weight: Float64Array;
  bias: Float64Array;
  weightGrad: Float64Array;
  biasGrad: Float64Array;
}

/** Each output sums bias first, then inputs in ascending order. */
export function denseForward(dense: DenseLayer, input: Float64Array, out: Float64Array): void {
  for (let o = 0; o < dense.outFeatures; o++) {
    let sum = dense.bias[o]!;
    const base = o * dense.inFeatures;
    for (let i = 0; i < dense.inFeatures; i++) sum += dense.weight[base + i]! * input[i]!;
    out[o] = sum;
  }
}

/**
 * Adds this sample's weight and bias gradients (accumulated across a batch)
 * and writes the gradient w.r.t. `input` into `inputGrad` (overwritten).
 */
export function denseBackward(
  dense: DenseLayer,
  input: Float64Array,
  outGrad: Float64Array,
  inputGrad: Float64Array,
): void {
  for (let o = 0; o < dense.outFeatures; o++) {
    const g = outGrad[o]!;
    dense.biasGrad[o] = dense.biasGrad[o]! + g;
    const base = o * dense.inFeatures;
    for (let i = 0; i < dense.inFeatures; i++) {
      dense.weightGrad[base + i] = dense.weightGrad[base + i]! + g * input[i]!;
    }
  }
  for (let i = 0; i < dense.inFeatures; i++) {
    let sum = 0;
    for (let o = 0; o < dense.outFeatures; o++) sum += dense.weight[o * dense.inFeatures + i]! * outGrad[o]!;
    inputGrad[i] = sum;
  }
}
