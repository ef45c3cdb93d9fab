/**
 * The float64 decoder for training, one sequence at a time: token + position embedding ->
 * causal transformer layers (the encoder's, src/workloads/tokens/layers) -> final LayerNorm -> output projection at every position, so each position
 * learns to predict the next token. All parameters live in one flat array in
 * decoderParameterSpecs order (the ONNX initializer order), gradients beside it.
 */

import {
  createLayerNormCache,
  type LayerNormCache,
  type LayerNormParams,
  layerNormBackward,
  layerNormForward,
} from '../../../workloads/tokens/layers/layer-norm.js';
import { type LinearLayer, linearBackward, linearForward } from '../../../workloads/tokens/layers/linear.js';
import { ParameterStore } from '../../../workloads/tokens/layers/parameter-store.js';
import { TransformerLayer } from '../../../workloads/tokens/layers/transformer-layer.js';
import { softmaxRange } from '../../../workloads/tokens/math.js';
import { layerPrefix } from '../../../workloads/tokens/weights.js';
import type { DecoderShape } from '../config.js';
import { decoderParameterSpecs, OUTPUT_PROJECTION } from '../weights.js';

export class DecoderNetwork {
  readonly shape: DecoderShape;
  readonly maxRows: number;
  readonly params: Float64Array;
  readonly grads: Float64Array;
  readonly #store: ParameterStore;
  readonly #blocks: TransformerLayer[];
  readonly #finalNorm: LayerNormParams;
  readonly #output: LinearLayer;
  readonly #ids: Int32Array;
  #firstPosition = 0;
  #rows = 0;
  readonly #streams: Float64Array[];
  readonly #streamGrads: Float64Array[];
  readonly #finalNormCache: LayerNormCache;
  readonly #normalized: Float64Array;
  readonly #normalizedGrad: Float64Array;
  /** [maxRows, vocabulary]: logits after forward, softmax-minus-target after backward. */
  readonly logits: Float64Array;

  constructor(shape: DecoderShape, maxRows: number) {
    this.shape = shape;
    this.maxRows = maxRows;
    this.#store = new ParameterStore(decoderParameterSpecs(shape));
    this.params = this.#store.params;
    this.grads = this.#store.grads;
    // The encoder's layer, causal, over the first `rows` of buffers sized for maxRows.
    const layerShape = { positions: maxRows, width: shape.width, heads: shape.heads, feedForwardWidth: shape.feedForwardWidth };
    this.#blocks = Array.from(
      { length: shape.layers },
      (_, layer) => new TransformerLayer(layerShape, this.#store.transformerLayer(layerPrefix(layer), shape.width), { causal: true }),
    );
    this.#finalNorm = this.#store.norm('final_norm', shape.width);
    this.#output = this.#store.linear(OUTPUT_PROJECTION);
    const size = maxRows * shape.width;
    this.#ids = new Int32Array(maxRows);
    this.#streams = Array.from({ length: shape.layers + 1 }, () => new Float64Array(size));
    this.#streamGrads = Array.from({ length: shape.layers + 1 }, () => new Float64Array(size));
    this.#finalNormCache = createLayerNormCache(maxRows, shape.width);
    this.#normalized = new Float64Array(size);
    this.#normalizedGrad = new Float64Array(size);
    this.logits = new Float64Array(maxRows * shape.vocabularySize);
  }

  /** Logits [rows, vocabulary] for tokens `ids` placed at positions firstPosition, firstPosition+1, ... */
  forward(ids: ArrayLike<number>, firstPosition: number): Float64Array {
    const { width, vocabularySize, contextLength } = this.shape;
    const rows = ids.length;
    if (rows < 1 || rows > this.maxRows) throw new RangeError(`${rows} tokens; this network takes 1..${this.maxRows}`);
    if (firstPosition < 0 || firstPosition + rows > contextLength) throw new RangeError(`positions beyond the context of ${contextLength}`);
    this.#rows = rows;
    this.#firstPosition = firstPosition;
    const embedded = this.#streams[0]!;
    const tokens = this.#store.view('token_embedding').param;
    const places = this.#store.view('position_embedding').param;
    for (let i = 0; i < rows; i++) {
      const id = ids[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= vocabularySize) throw new RangeError(`token id ${id} outside the vocabulary`);
      this.#ids[i] = id;
      const place = (firstPosition + i) * width;
      for (let c = 0; c < width; c++) embedded[i * width + c] = tokens[id * width + c]! + places[place + c]!;
    }
    this.#blocks.forEach((block, l) => {
      block.forward(this.#streams[l]!, this.#streams[l + 1]!, rows);
    });
    layerNormForward(this.#finalNorm, this.#finalNormCache, this.#streams[this.#blocks.length]!, this.#normalized, rows);
    linearForward(this.#output, this.#normalized, this.logits, rows);
    return this.logits;
  }

  /**
   * Cross-entropy of the last forward's logits against `targets` (one per row), scaled by
   * lossScale; adds the gradients into `grads`. Returns the unscaled summed loss.
   */
  backward(targets: ArrayLike<number>, lossScale: number): number {
    const { width, vocabularySize } = this.shape;
    const rows = this.#rows;
    let loss = 0;
    for (let i = 0; i < rows; i++) {
      const base = i * vocabularySize;
      softmaxRange(this.logits, base, vocabularySize);
      const target = targets[i]!;
      loss -= Math.log(Math.max(this.logits[base + target]!, 1e-300));
      for (let o = 0; o < vocabularySize; o++) this.logits[base + o] = this.logits[base + o]! * lossScale;
      this.logits[base + target] = this.logits[base + target]! - lossScale;
    }
    linearBackward(this.#output, this.#normalized, this.logits, this.#normalizedGrad, rows);
    const layers = this.#blocks.length;
    layerNormBackward(this.#finalNorm, this.#finalNormCache, this.#normalizedGrad, this.#streamGrads[layers]!, rows);
    for (let l = layers - 1; l >= 0; l--) this.#blocks[l]!.backward(this.#streamGrads[l + 1]!, this.#streamGrads[l]!);
    const embeddedGrad = this.#streamGrads[0]!;
    const tokenGrad = this.#store.view('token_embedding').grad;
    const placeGrad = this.#store.view('position_embedding').grad;
    for (let i = 0; i < rows; i++) {
      const tokenBase = this.#ids[i]! * width;
      const placeBase = (this.#firstPosition + i) * width;
      for (let c = 0; c < width; c++) {
        const g = embeddedGrad[i * width + c]!;
        tokenGrad[tokenBase + c] = tokenGrad[tokenBase + c]! + g;
        placeGrad[placeBase + c] = placeGrad[placeBase + c]! + g;
      }
    }
    return loss;
  }
}
