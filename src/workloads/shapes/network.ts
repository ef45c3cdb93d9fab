/**
 * The float64 training/inference network: conv3x3(pad 1) + bias -> ReLU ->
 * maxpool 2x2 per conv except the last, then global average pool and one
 * dense layer. It owns the buffers; the maths lives in layers/.
 */

import { SHAPES_IMAGE_SHAPE } from './dataset.js';
import { type ConvLayer, convBackward, convForward, KERNEL_AREA } from './layers/conv.js';
import { type DenseLayer, denseBackward, denseForward } from './layers/dense.js';
import { col2im, im2col } from './layers/im2col.js';
import { globalAveragePool, globalAveragePoolReluBackward, maxPool, unpoolRelu } from './layers/pool.js';
import { SHAPES_INPUT_OFFSET } from './weights.js';

/**
 * All parameters live in one flat array (so the optimizer is a single loop)
 * and layers hold views into it; gradients mirror that layout in `grads`.
 * Per-sample buffers are allocated once, so a forward/backward allocates nothing.
 */
export class Network {
  readonly params: Float64Array;
  readonly grads: Float64Array;
  readonly convs: ConvLayer[];
  readonly dense: DenseLayer;
  readonly input: Float64Array;
  readonly pooledFeatures: Float64Array;
  readonly featureGrad: Float64Array;
  readonly logits: Float64Array;

  constructor(convChannels: readonly number[], classCount: number) {
    const [channels, height, width] = SHAPES_IMAGE_SHAPE;
    const shapes: { inC: number; outC: number; h: number; w: number; pool: boolean }[] = [];
    let inC: number = channels;
    let h: number = height;
    let w: number = width;
    convChannels.forEach((outC, i) => {
      // convForward computes 4 output channels at a time.
      if (outC % 4 !== 0) throw new RangeError(`conv channels must be multiples of 4, got ${outC}`);
      const pool = i < convChannels.length - 1;
      shapes.push({ inC, outC, h, w, pool });
      inC = outC;
      if (pool) {
        h /= 2;
        w /= 2;
      }
    });
    const featureCount = inC;
    let paramCount = featureCount * classCount + classCount;
    for (const s of shapes) paramCount += s.outC * s.inC * KERNEL_AREA + s.outC;
    this.params = new Float64Array(paramCount);
    this.grads = new Float64Array(paramCount);

    // Hands out consecutive [params, grads] views in layer order; this order fixes the parameter layout.
    let offset = 0;
    const take = (length: number): [Float64Array, Float64Array] => {
      const views: [Float64Array, Float64Array] = [
        this.params.subarray(offset, offset + length),
        this.grads.subarray(offset, offset + length),
      ];
      offset += length;
      return views;
    };
    this.convs = shapes.map((s) => {
      const area = s.h * s.w;
      const [weight, weightGrad] = take(s.outC * s.inC * KERNEL_AREA);
      const [bias, biasGrad] = take(s.outC);
      const pooledArea = s.pool ? area / 4 : 0;
      return {
        inChannels: s.inC,
        outChannels: s.outC,
        height: s.h,
        width: s.w,
        poolAfter: s.pool,
        weight,
        bias,
        weightGrad,
        biasGrad,
        col: new Float64Array(s.inC * KERNEL_AREA * area),
        activation: new Float64Array(s.outC * area),
        pooled: new Float64Array(s.outC * pooledArea),
        poolArgmax: new Int32Array(s.outC * pooledArea),
        outGrad: new Float64Array(s.outC * area),
        colGrad: new Float64Array(s.inC * KERNEL_AREA * area),
        inputGrad: new Float64Array(s.inC * area),
      };
    });
    const [denseWeight, denseWeightGrad] = take(featureCount * classCount);
    const [denseBias, denseBiasGrad] = take(classCount);
    this.dense = {
      inFeatures: featureCount,
      outFeatures: classCount,
      weight: denseWeight,
      bias: denseBias,
      weightGrad: denseWeightGrad,
      biasGrad: denseBiasGrad,
    };
    this.input = new Float64Array(channels * height * width);
    this.pooledFeatures = new Float64Array(featureCount);
    this.featureGrad = new Float64Array(featureCount);
    this.logits = new Float64Array(classCount);
  }

  /** Runs one image; leaves activations in place for backward(). Returns the logits buffer (reused). */
  forward(pixels: Float32Array): Float64Array {
    if (pixels.length !== this.input.length) {
      throw new RangeError(`expected ${this.input.length} pixels, got ${pixels.length}`);
    }
    for (let i = 0; i < pixels.length; i++) this.input[i] = pixels[i]! - SHAPES_INPUT_OFFSET;
    let layerInput = this.input;
    for (const conv of this.convs) {
      im2col(layerInput, conv);
      convForward(conv);
      if (conv.poolAfter) {
        maxPool(conv);
        layerInput = conv.pooled;
      } else {
        layerInput = conv.activation;
      }
    }
    globalAveragePool(this.convs[this.convs.length - 1]!, this.pooledFeatures);
    denseForward(this.dense, this.pooledFeatures, this.logits);
    return this.logits;
  }

  /**
   * Adds this sample's gradients into `grads`, given the gradient of its
   * (batch-scaled) loss w.r.t. the logits of the last forward().
   */
  backward(logitGrad: Float64Array): void {
    denseBackward(this.dense, this.pooledFeatures, logitGrad, this.featureGrad);
    globalAveragePoolReluBackward(this.convs[this.convs.length - 1]!, this.featureGrad);
    for (let l = this.convs.length - 1; l >= 0; l--) {
      const conv = this.convs[l]!;
      // The first conv's input is the image, which needs no gradient.
      const hasUpstream = l > 0;
      convBackward(conv, hasUpstream);
      if (hasUpstream) {
        col2im(conv);
        unpoolRelu(this.convs[l - 1]!, conv.inputGrad);
      }
    }
  }
}
