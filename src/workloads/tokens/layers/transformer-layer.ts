/**
 * One pre-LayerNorm transformer block over a single sequence:
 *   x1 = x + attentionOutput(attention(norm1(x)))
 *   out = x1 + feedForwardOut(gelu(feedForwardIn(norm2(x1))))
 * The tokens-transformer's encoder runs it over whole sequences; tiny-llm's
 * trainer runs it causal (each position sees only those before it) over the
 * first `rows` positions of buffers sized for `positions`. It owns its
 * per-sequence buffers (allocated once); parameters are views into the
 * network's flat arrays.
 */

import { geluForward } from '../math.js';
import { type AttentionShape, attentionBackward, attentionForward } from './attention.js';
import {
  createLayerNormCache,
  type LayerNormCache,
  type LayerNormParams,
  layerNormBackward,
  layerNormForward,
} from './layer-norm.js';
import { type LinearLayer, linearBackward, linearForward } from './linear.js';

/** The sizes a layer's buffers are made for; `positions` is the most rows a forward pass may use. */
export interface TransformerLayerShape {
  readonly positions: number;
  readonly width: number;
  readonly heads: number;
  readonly feedForwardWidth: number;
}

export interface TransformerLayerParams {
  readonly attentionNorm: LayerNormParams;
  readonly query: LinearLayer;
  readonly key: LinearLayer;
  readonly value: LinearLayer;
  readonly attentionOutput: LinearLayer;
  readonly feedForwardNorm: LayerNormParams;
  readonly feedForwardIn: LinearLayer;
  readonly feedForwardOut: LinearLayer;
}

/** Adds the first `count` values of a and b into out (out may alias either). */
function addInto(out: Float64Array, a: Float64Array, b: Float64Array, count: number): void {
  for (let i = 0; i < count; i++) out[i] = a[i]! + b[i]!;
}

export class TransformerLayer {
  readonly params: TransformerLayerParams;
  readonly #attention: AttentionShape;
  readonly #positions: number;
  readonly #width: number;
  readonly #feedForwardWidth: number;
  /** Rows of the last forward pass, which backward differentiates. */
  #rows = 0;
  // Forward activations, kept for backward.
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
  // Backward buffers.
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

  constructor(shape: TransformerLayerShape, params: TransformerLayerParams, options: { readonly causal?: boolean } = {}) {
    const { positions, width, heads, feedForwardWidth } = shape;
    this.params = params;
    this.#attention = { positions, width, heads, causal: options.causal === true };
    this.#positions = positions;
    this.#width = width;
    this.#feedForwardWidth = feedForwardWidth;
    const sequence = (): Float64Array => new Float64Array(positions * width);
    const hidden = (): Float64Array => new Float64Array(positions * feedForwardWidth);
    this.#norm1Cache = createLayerNormCache(positions, width);
    this.#norm1Out = sequence();
    this.#q = sequence();
    this.#k = sequence();
    this.#v = sequence();
    this.#probs = new Float64Array(heads * positions * positions);
    this.#mixed = sequence();
    this.#afterAttention = sequence();
    this.#norm2Cache = createLayerNormCache(positions, width);
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
    this.#rowScratch = new Float64Array(positions);
  }

  /** input and output are [positions, width], the first `rows` used; output may not alias input. */
  forward(input: Float64Array, output: Float64Array, rows = this.#positions): void {
    const p = this.params;
    this.#rows = rows;
    const count = rows * this.#width;
    layerNormForward(p.attentionNorm, this.#norm1Cache, input, this.#norm1Out, rows);
    linearForward(p.query, this.#norm1Out, this.#q, rows);
    linearForward(p.key, this.#norm1Out, this.#k, rows);
    linearForward(p.value, this.#norm1Out, this.#v, rows);
    attentionForward(this.#attention, this.#q, this.#k, this.#v, this.#probs, this.#mixed, rows);
    linearForward(p.attentionOutput, this.#mixed, this.#afterAttention, rows);
    addInto(this.#afterAttention, input, this.#afterAttention, count);

    layerNormForward(p.feedForwardNorm, this.#norm2Cache, this.#afterAttention, this.#norm2Out, rows);
    linearForward(p.feedForwardIn, this.#norm2Out, this.#hidden, rows);
    geluForward(this.#hidden, this.#activated, this.#geluSlope, rows * this.#feedForwardWidth);
    linearForward(p.feedForwardOut, this.#activated, output, rows);
    addInto(output, this.#afterAttention, output, count);
  }

  /** Adds parameter gradients; overwrites inputGrad with the gradient w.r.t. the last forward's input. */
  backward(outputGrad: Float64Array, inputGrad: Float64Array): void {
    const p = this.params;
    const rows = this.#rows;
    const count = rows * this.#width;
    // Feed-forward branch; the residual passes outputGrad straight through.
    linearBackward(p.feedForwardOut, this.#activated, outputGrad, this.#activatedGrad, rows);
    const hiddenGrad = this.#activatedGrad;
    for (let i = 0; i < rows * this.#feedForwardWidth; i++) hiddenGrad[i] = hiddenGrad[i]! * this.#geluSlope[i]!;
    linearBackward(p.feedForwardIn, this.#norm2Out, hiddenGrad, this.#norm2OutGrad, rows);
    layerNormBackward(p.feedForwardNorm, this.#norm2Cache, this.#norm2OutGrad, this.#afterAttentionGrad, rows);
    addInto(this.#afterAttentionGrad, outputGrad, this.#afterAttentionGrad, count);

    // Attention branch; the residual passes afterAttentionGrad straight through.
    linearBackward(p.attentionOutput, this.#mixed, this.#afterAttentionGrad, this.#mixedGrad, rows);
    attentionBackward(
      this.#attention,
      this.#q,
      this.#k,
      this.#v,
      this.#probs,
      this.#mixedGrad,
      this.#qGrad,
      this.#kGrad,
      this.#vGrad,
      this.#rowScratch,
      rows,
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
