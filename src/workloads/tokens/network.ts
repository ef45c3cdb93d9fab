/**
 * The float64 training/inference transformer for one sequence at a time:
 * token + position embedding -> encoder layers -> final LayerNorm -> mean over
 * positions -> linear classifier. It owns the buffers; the maths lives in
 * layers/.
 */

import { canonicalDouble, Mt19937 } from '../../loadgen/rng.js';
import { hashSeed } from '../shapes/dataset.js';
import {
  createLayerNormCache,
  type LayerNormCache,
  type LayerNormParams,
  layerNormBackward,
  layerNormForward,
} from './layers/layer-norm.js';
import { type LinearLayer, linearBackward, linearForward } from './layers/linear.js';
import { ParameterStore, type ParameterView } from './layers/parameter-store.js';
import { TransformerLayer } from './layers/transformer-layer.js';
import {
  assertShapeSupported,
  layerPrefix,
  parameterSpecs,
  type TokensModelShape,
  type TokensTransformerWeights,
  weightTensor,
} from './weights.js';

/** Embeddings start uniform in [-bound, bound]: unit-scale vectors, since LayerNorm follows. */
const EMBEDDING_INIT_BOUND = 1;

/**
 * All parameters live in one flat array (so the optimizer is a single loop)
 * in parameterSpecs order, and layers hold views into it; gradients mirror
 * that layout in `grads`. A forward/backward allocates nothing.
 */
export class TokensNetwork {
  readonly shape: TokensModelShape;
  readonly params: Float64Array;
  readonly grads: Float64Array;
  readonly #store: ParameterStore;
  readonly #views: readonly ParameterView[];
  readonly #tokenEmbedding: ParameterView;
  readonly #positionEmbedding: ParameterView;
  readonly #layers: TransformerLayer[];
  readonly #finalNorm: LayerNormParams;
  readonly #classifier: LinearLayer;
  // Per-sequence buffers.
  readonly #ids: Int32Array;
  /** Input of layer l, and the final layer's output at index layers. */
  readonly #streams: Float64Array[];
  readonly #streamGrads: Float64Array[];
  readonly #finalNormCache: LayerNormCache;
  readonly #normalized: Float64Array;
  readonly #normalizedGrad: Float64Array;
  readonly #pooled: Float64Array;
  readonly #pooledGrad: Float64Array;
  readonly logits: Float64Array;

  constructor(shape: TokensModelShape) {
    assertShapeSupported(shape);
    this.shape = shape;
    this.#store = new ParameterStore(parameterSpecs(shape));
    this.params = this.#store.params;
    this.grads = this.#store.grads;
    this.#views = this.#store.views;
    this.#tokenEmbedding = this.#store.view('token_embedding');
    this.#positionEmbedding = this.#store.view('position_embedding');
    this.#layers = Array.from({ length: shape.layers }, (_, layer) => new TransformerLayer(shape, this.#store.transformerLayer(layerPrefix(layer), shape.width)));
    this.#finalNorm = this.#store.norm('final_norm', shape.width);
    this.#classifier = this.#store.linear('classifier');

    const sequenceSize = shape.positions * shape.width;
    this.#ids = new Int32Array(shape.positions);
    this.#streams = Array.from({ length: shape.layers + 1 }, () => new Float64Array(sequenceSize));
    this.#streamGrads = Array.from({ length: shape.layers + 1 }, () => new Float64Array(sequenceSize));
    this.#finalNormCache = createLayerNormCache(shape.positions, shape.width);
    this.#normalized = new Float64Array(sequenceSize);
    this.#normalizedGrad = new Float64Array(sequenceSize);
    this.#pooled = new Float64Array(shape.width);
    this.#pooledGrad = new Float64Array(shape.width);
    this.logits = new Float64Array(shape.classes);
  }

  /** Embeddings uniform, Glorot-uniform weights, unit norm scales, zero biases; one seeded stream in layout order. */
  initialize(seed: number): void {
    const rng = new Mt19937(hashSeed(seed, 0x696e_6974));
    const fill = (target: Float64Array, bound: number): void => {
      for (let i = 0; i < target.length; i++) target[i] = (2 * canonicalDouble(rng) - 1) * bound;
    };
    for (const { spec, param } of this.#views) {
      switch (spec.init) {
        case 'embedding':
          fill(param, EMBEDDING_INIT_BOUND);
          break;
        case 'glorot':
          fill(param, Math.sqrt(6 / (spec.dims[0]! + spec.dims[1]!)));
          break;
        case 'ones':
          param.fill(1);
          break;
        case 'zeros':
          param.fill(0);
          break;
      }
    }
  }

  /** Copies float32 weights of the same shape in (for inference). */
  load(weights: TokensTransformerWeights): void {
    for (const { spec, param } of this.#views) {
      const source = weightTensor(weights, spec.name);
      if (source.length !== param.length) {
        throw new Error(`tensor '${spec.name}' has ${source.length} values, this network needs ${param.length}`);
      }
      param.set(source);
    }
  }

  /** Rounds the parameters to float32, the precision the ONNX model stores. */
  export(): TokensTransformerWeights {
    return {
      shape: this.shape,
      tensors: new Map(this.#views.map(({ spec, param }) => [spec.name, Float32Array.from(param)])),
    };
  }

  /** Runs one sequence; leaves activations in place for backward(). Returns the logits buffer (reused). */
  forward(ids: ArrayLike<number>): Float64Array {
    const { positions, width, vocabularySize } = this.shape;
    if (ids.length !== positions) throw new RangeError(`expected ${positions} token ids, got ${ids.length}`);
    const embedded = this.#streams[0]!;
    const tokens = this.#tokenEmbedding.param;
    const places = this.#positionEmbedding.param;
    for (let i = 0; i < positions; i++) {
      const id = ids[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= vocabularySize) {
        throw new RangeError(`token id ${id} at position ${i} is outside [0, ${vocabularySize})`);
      }
      this.#ids[i] = id;
      for (let c = 0; c < width; c++) embedded[i * width + c] = tokens[id * width + c]! + places[i * width + c]!;
    }
    this.#layers.forEach((layer, l) => {
      layer.forward(this.#streams[l]!, this.#streams[l + 1]!);
    });
    const last = this.#streams[this.#layers.length]!;
    layerNormForward(this.#finalNorm, this.#finalNormCache, last, this.#normalized, positions);
    for (let c = 0; c < width; c++) {
      let sum = 0;
      for (let i = 0; i < positions; i++) sum += this.#normalized[i * width + c]!;
      this.#pooled[c] = sum / positions;
    }
    linearForward(this.#classifier, this.#pooled, this.logits, 1);
    return this.logits;
  }

  /**
   * Adds this sequence's gradients into `grads`, given the gradient of its
   * (batch-scaled) loss w.r.t. the logits of the last forward().
   */
  backward(logitGrad: Float64Array): void {
    const { positions, width } = this.shape;
    linearBackward(this.#classifier, this.#pooled, logitGrad, this.#pooledGrad, 1);
    for (let i = 0; i < positions; i++) {
      for (let c = 0; c < width; c++) this.#normalizedGrad[i * width + c] = this.#pooledGrad[c]! / positions;
    }
    const layers = this.#layers.length;
    const lastGrad = this.#streamGrads[layers]!;
    layerNormBackward(this.#finalNorm, this.#finalNormCache, this.#normalizedGrad, lastGrad, positions);
    for (let l = layers - 1; l >= 0; l--) this.#layers[l]!.backward(this.#streamGrads[l + 1]!, this.#streamGrads[l]!);
    const embeddedGrad = this.#streamGrads[0]!;
    const tokenGrad = this.#tokenEmbedding.grad;
    const placeGrad = this.#positionEmbedding.grad;
    for (let i = 0; i < positions; i++) {
      const tokenBase = this.#ids[i]! * width;
      for (let c = 0; c < width; c++) {
        const g = embeddedGrad[i * width + c]!;
        tokenGrad[tokenBase + c] = tokenGrad[tokenBase + c]! + g;
        placeGrad[i * width + c] = placeGrad[i * width + c]! + g;
      }
    }
  }
}
