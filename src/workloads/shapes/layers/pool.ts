/**
 * Pooling layers, forward and backward. Each backward also applies the ReLU
 * mask of the conv it pools, since both simply gate which activations pass a
 * gradient and doing it in one pass avoids a separate buffer.
 */

import type { ConvLayer } from './conv.js';

/** 2x2 stride-2 max pool of conv.activation into conv.pooled; the first maximum in row-major order wins ties. */
export function maxPool(conv: ConvLayer): void {
  const { outChannels, height, width, activation, pooled, poolArgmax } = conv;
  const outHeight = height / 2;
  const outWidth = width / 2;
  let out = 0;
  for (let c = 0; c < outChannels; c++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const topLeft = (c * height + 2 * oy) * width + 2 * ox;
        let best = topLeft;
        if (activation[topLeft + 1]! > activation[best]!) best = topLeft + 1;
        if (activation[topLeft + width]! > activation[best]!) best = topLeft + width;
        if (activation[topLeft + width + 1]! > activation[best]!) best = topLeft + width + 1;
        pooled[out] = activation[best]!;
        poolArgmax[out] = best;
        out++;
      }
    }
  }
}

/** Routes the pooled-output gradient to each window's maximum, through the ReLU, into conv.outGrad. */
export function unpoolRelu(conv: ConvLayer, pooledGrad: Float64Array): void {
  const { outGrad, activation, poolArgmax } = conv;
  outGrad.fill(0);
  for (let j = 0; j < poolArgmax.length; j++) {
    const at = poolArgmax[j]!;
    if (activation[at]! > 0) outGrad[at] = pooledGrad[j]!;
  }
}

/** Mean of each channel of conv.activation into `features` [outChannels]. */
export function globalAveragePool(conv: ConvLayer, features: Float64Array): void {
  const area = conv.height * conv.width;
  for (let c = 0; c < conv.outChannels; c++) {
    let sum = 0;
    const base = c * area;
    for (let p = 0; p < area; p++) sum += conv.activation[base + p]!;
    features[c] = sum / area;
  }
}

/** Spreads each feature's gradient evenly over its channel, through the ReLU, into conv.outGrad. */
export function globalAveragePoolReluBackward(conv: ConvLayer, featureGrad: Float64Array): void {
  const area = conv.height * conv.width;
  for (let c = 0; c < conv.outChannels; c++) {
    const g = featureGrad[c]! / area;
    const base = c * area;
    for (let p = 0; p < area; p++) {
      conv.outGrad[base + p] = conv.activation[base + p]! > 0 ? g : 0;
    }
  }
}
