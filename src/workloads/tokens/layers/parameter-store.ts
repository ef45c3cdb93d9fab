import { elementCount, type ParameterSpec } from '../weights.js';
import type { LayerNormParams } from './layer-norm.js';
import type { LinearLayer } from './linear.js';
import type { TransformerLayerParams } from './transformer-layer.js';

/** One named parameter tensor: its values and its gradient, views into the store's flat arrays. */
export interface ParameterView {
  readonly spec: ParameterSpec;
  readonly param: Float64Array;
  readonly grad: Float64Array;
}

/**
 * All parameters of a network in one flat array (so the optimizer is a single loop), in the
 * order of `specs`, with gradients mirroring that layout; layers get views into them. Shared by
 * the tokens-transformer encoder and tiny-llm's trainer, whose parameters are named alike.
 */
export class ParameterStore {
  readonly params: Float64Array;
  readonly grads: Float64Array;
  /** Every parameter, in spec order. */
  readonly views: readonly ParameterView[];
  readonly #byName: Map<string, ParameterView>;

  constructor(specs: readonly ParameterSpec[]) {
    const total = specs.reduce((sum, spec) => sum + elementCount(spec.dims), 0);
    this.params = new Float64Array(total);
    this.grads = new Float64Array(total);
    let offset = 0;
    this.views = specs.map((spec) => {
      const length = elementCount(spec.dims);
      const view = { spec, param: this.params.subarray(offset, offset + length), grad: this.grads.subarray(offset, offset + length) };
      offset += length;
      return view;
    });
    this.#byName = new Map(this.views.map((view) => [view.spec.name, view]));
  }

  view(name: string): ParameterView {
    const view = this.#byName.get(name);
    if (!view) throw new Error(`no parameter '${name}'`);
    return view;
  }

  /** `${name}.weight` [in, out] and `${name}.bias`. */
  linear(name: string): LinearLayer {
    const weight = this.view(`${name}.weight`);
    const bias = this.view(`${name}.bias`);
    const [inFeatures, outFeatures] = weight.spec.dims as [number, number];
    return { inFeatures, outFeatures, weight: weight.param, bias: bias.param, weightGrad: weight.grad, biasGrad: bias.grad };
  }

  /** `${name}.scale` and `${name}.bias` over vectors of `width`. */
  norm(name: string, width: number): LayerNormParams {
    const scale = this.view(`${name}.scale`);
    const bias = this.view(`${name}.bias`);
    return { width, scale: scale.param, bias: bias.param, scaleGrad: scale.grad, biasGrad: bias.grad };
  }

  /** The parameters of one transformer layer named `${prefix}.attention_norm`, `${prefix}.query`, ... */
  transformerLayer(prefix: string, width: number): TransformerLayerParams {
    return {
      attentionNorm: this.norm(`${prefix}.attention_norm`, width),
      query: this.linear(`${prefix}.query`),
      key: this.linear(`${prefix}.key`),
      value: this.linear(`${prefix}.value`),
      attentionOutput: this.linear(`${prefix}.attention_output`),
      feedForwardNorm: this.norm(`${prefix}.feed_forward_norm`, width),
      feedForwardIn: this.linear(`${prefix}.feed_forward_in`),
      feedForwardOut: this.linear(`${prefix}.feed_forward_out`),
    };
  }
}
