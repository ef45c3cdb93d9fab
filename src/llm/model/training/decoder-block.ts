/**
 * One pre-LayerNorm decoder block for training, over the first `rows` positions of
 * buffers sized for maxRows:
 *   x1 = x + attentionOutput(causalAttention(norm1(x)))
 *   out = x1 + feedForwardOut(gelu(feedForwardIn(norm2(x1))))
 * The encoder block's structure with causal attention; its pieces (linear, layer norm,
 * GELU) are the encoder's.
 */

import type { EncoderLayerParams } from '../../../workloads/tokens/layers/encoder-layer.js';
import {
  createLayerNormCache,
  type LayerNormCache,
  layerNormBackward,
  layerNormForward,
} from '../../../workloads/tokens/layers/layer-norm.js';
import { linearBackward, linearForward } from '../../../workloads/tokens/layers/linear.js';
import { geluForward } from '../../../workloads/tokens/math.js';
import type { DecoderShape } from '../config.js';
import { causalAttentionBackward, causalAttentionForward } from './causal-attention.js';

function addInto(out: Float64Array, a: Float64Array, b: Float64Array, count: number): void {
  for (let i = 0; i < count; i++) out[i] = a[i]! + b[i]!;
}

export class DecoderBlock {
  readonly params: EncoderLayerParams;
  readonly #shape: { positions: number; width: number; heads: number };
  readonly #width: number;
  readonly #ffWidth: number;
  #rows = 0;
  readonly #norm1Cache: LayerNormCache;
  readonly #norm1Out: Float64Array;
  readonly #q: Float64Array;
  readonly #k: Float64Array;
  readonly #v: Float64Array;
  readonly #probs: Float64Array;
  readonly #mixed: Float64Array;
  readonly #afterAttention: Float64Array;
  readonly #norm2Cache: LayerNormCache;
  readonly #norm2Out: Float64Array;
  readonly #hidden: Float64Array;
  readonly #activated: Float64Array;
  readonly #geluSlope: Float64Array;
  readonly #afterAttentionGrad: Float64Array;
  readonly #activatedGrad: Float64Array;
  readonly #norm2OutGrad: Float64Array;
  readonly #mixedGrad: Float64Array;
  readonly #qGrad: Float64Array;
  readonly #kGrad: Float64Array;
  readonly #vGrad: Float64Array;
  readonly #fromQuery: Float64Array;
  readonly #fromKey: Float64Array;
  readonly #fromValue: Float64Array;
  readonly #rowScratch: Float64Array;

  constructor(shape: DecoderShape, maxRows: number, params: EncoderLayerParams) {
    const { width, heads, feedForwardWidth } = shape;
    this.params = params;
    this.#shape = { positions: maxRows, width, heads };
    this.#width = width;
    this.#ffWidth = feedForwardWidth;
    const sequence = (): Float64Array => new Float64Array(maxRows * width);
    const hidden = (): Float64Array => new Float64Array(maxRows * feedForwardWidth);
    this.#norm1Cache = createLayerNormCache(maxRows, width);
    this.#norm1Out = sequence();
    this.#q = sequence();
    this.#k = sequence();
    this.#v = sequence();
    this.#probs = new Float64Array(heads * maxRows * maxRows);
    this.#mixed = sequence();
    this.#afterAttention = sequence();
    this.#norm2Cache = createLayerNormCache(maxRows, width);
    this.#norm2Out = sequence();
    this.#hidden = hidden();
    this.#activated = hidden();
    this.#geluSlope = hidden();
    this.#afterAttentionGrad = sequence();
    this.#activatedGrad = hidden();
    this.#norm2OutGrad = sequence();
    this.#mixedGrad = sequence();
    this.#qGrad = sequence();
    this.#kGrad = sequence();
    this.#vGrad = sequence();
    this.#fromQuery = sequence();
    this.#fromKey = sequence();
    this.#fromValue = sequence();
    this.#rowScratch = new Float64Array(maxRows);
  }

  forward(input: Float64Array, output: Float64Array, rows: number): void {
    const p = this.params;
    this.#rows = rows;
    const count = rows * this.#width;
    layerNormForward(p.attentionNorm, this.#norm1Cache, input, this.#norm1Out, rows);
    linearForward(p.query, this.#norm1Out, this.#q, rows);
    linearForward(p.key, this.#norm1Out, this.#k, rows);
    linearForward(p.value, this.#norm1Out, this.#v, rows);
    causalAttentionForward(this.#shape, rows, this.#q, this.#k, this.#v, this.#probs, this.#mixed);
    linearForward(p.attentionOutput, this.#mixed, this.#afterAttention, rows);
    addInto(this.#afterAttention, input, this.#afterAttention, count);
    layerNormForward(p.feedForwardNorm, this.#norm2Cache, this.#afterAttention, this.#norm2Out, rows);
    linearForward(p.feedForwardIn, this.#norm2Out, this.#hidden, rows);
    geluForward(this.#hidden, this.#activated, this.#geluSlope, rows * this.#ffWidth);
    linearForward(p.feedForwardOut, this.#activated, output, rows);
    addInto(output, this.#afterAttention, output, count);
  }

  /** Adds parameter gradients; overwrites inputGrad with the gradient w.r.t. the last forward's input. */
  backward(outputGrad: Float64Array, inputGrad: Float64Array): void {
    const p = this.params;
    const rows = this.#rows;
    const count = rows * this.#width;
    linearBackward(p.feedForwardOut, this.#activated, outputGrad, this.#activatedGrad, rows);
    const hiddenGrad = this.#activatedGrad;
    for (let i = 0; i < rows * this.#ffWidth; i++) hiddenGrad[i] = hiddenGrad[i]! * this.#geluSlope[i]!;
    linearBackward(p.feedForwardIn, this.#norm2Out, hiddenGrad, this.#norm2OutGrad, rows);
    layerNormBackward(p.feedForwardNorm, this.#norm2Cache, this.#norm2OutGrad, this.#afterAttentionGrad, rows);
    addInto(this.#afterAttentionGrad, outputGrad, this.#afterAttentionGrad, count);

    linearBackward(p.attentionOutput, this.#mixed, this.#afterAttentionGrad, this.#mixedGrad, rows);
    causalAttentionBackward(
      this.#shape,
      rows,
      this.#q,
      this.#k,
      this.#v,
      this.#probs,
      this.#mixedGrad,
      this.#qGrad,
      this.#kGrad,
      this.#vGrad,
      this.#rowScratch,
    );
    linearBackward(p.query, this.#norm1Out, this.#qGrad, this.#fromQuery, rows);
    linearBackward(p.key, this.#norm1Out, this.#kGrad, this.#fromKey, rows);
    linearBackward(p.value, this.#norm1Out, this.#vGrad, this.#fromValue, rows);
    const norm1OutGrad = this.#fromQuery;
    addInto(norm1OutGrad, norm1OutGrad, this.#fromKey, count);
    addInto(norm1OutGrad, norm1OutGrad, this.#fromValue, count);
    layerNormBackward(p.attentionNorm, this.#norm1Cache, norm1OutGrad, inputGrad, rows);
    addInto(inputGrad, this.#afterAttentionGrad, inputGrad, count);
  }
}
