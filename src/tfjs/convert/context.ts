/**
 * What the op converters share: the TF graph being built, every ONNX value's
 * TF node, static shape and layout, and the ONNX initializers.
 *
 * Layout: ONNX is NCHW, TF.js convolution and pooling want NHWC. A 4-D value
 * produced by Conv/MaxPool/GlobalAveragePool is stored NHWC ('nhwc'), and ops
 * that do not care (Relu, elementwise with a constant, ReduceMean, Concat,
 * Transpose) keep it so, with their axes or constants remapped. A value is
 * converted only when an op needs the other layout, once (the conversion is
 * cached), and as a free Reshape instead of a Transpose when both layouts have
 * the same memory order (a 1x1 spatial map or a single channel). For
 * shapes-cnn that is one Transpose of the input and one Reshape after the
 * global average pool.
 */

import { UserError } from '../../cli/errors.js';
import { type Dim, isKnown, tfDims, transposeValues } from './dims.js';
import { unsupported } from './onnx-attributes.js';
import type { OnnxConstant, OnnxGraph, OnnxNode } from './onnx-graph.js';
import { type TfDtype, TfGraph } from './tf-graph.js';

export type Layout = 'onnx' | 'nhwc';

export interface TfValue {
  readonly tfName: string;
  readonly dtype: TfDtype;
  /** Always in ONNX axis order, whatever the layout. */
  readonly dims: readonly Dim[];
  readonly layout: Layout;
}

/** NCHW -> NHWC and back. */
export const TO_NHWC = [0, 2, 3, 1] as const;
export const TO_NCHW = [0, 3, 1, 2] as const;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export class ConversionContext {
  readonly tf = new TfGraph();
  /** Each layout conversion made, e.g. "'centred' NCHW->NHWC by Transpose", for the converter's notes. */
  readonly relayouts: string[] = [];
  readonly #onnx: OnnxGraph;
  readonly #values = new Map<string, TfValue>();
  /** Values in a layout other than stored, and constants made into Const nodes; key `${name}|${layout}`. */
  readonly #materialized = new Map<string, TfValue>();
  readonly #consumers = new Map<string, OnnxNode[]>();
  readonly #outputs: ReadonlySet<string>;
  readonly #absorbed = new Set<OnnxNode>();
  #symbols = 0;

  constructor(onnx: OnnxGraph) {
    this.#onnx = onnx;
    this.#outputs = new Set(onnx.outputs.map((o) => o.name));
    for (const node of onnx.nodes) {
      for (const input of node.inputs) {
        if (input !== '') this.#consumers.set(input, [...(this.#consumers.get(input) ?? []), node]);
      }
    }
  }

  /** The initializer behind input `index` of `node`, if it is one. */
  constantInput(node: OnnxNode, index: number): OnnxConstant | undefined {
    const name = node.inputs[index];
    return name ? this.#onnx.initializers.get(name) : undefined;
  }

  /** For inputs the converter folds into the TF graph (shapes, axes, weights): they must be initializers. */
  requireConstant(node: OnnxNode, index: number, what: string): OnnxConstant {
    const constant = this.constantInput(node, index);
    if (!constant) throw unsupported(node, `a ${what} computed at run time (input ${index})`);
    return constant;
  }

  hasInput(node: OnnxNode, index: number): boolean {
    return (node.inputs[index] ?? '') !== '';
  }

  /** Dims of input `index` in ONNX order, for a value or an initializer. */
  dimsOf(node: OnnxNode, index: number): readonly Dim[] {
    return this.#describe(node, index).dims;
  }

  dtypeOf(node: OnnxNode, index: number): TfDtype {
    return this.#describe(node, index).dtype;
  }

  /** How input `index` is stored now: 'nhwc', 'onnx', or 'constant' (an initializer, made in any layout). */
  storedLayout(node: OnnxNode, index: number): Layout | 'constant' {
    const name = node.inputs[index] ?? '';
    return this.#values.get(name)?.layout ?? 'constant';
  }

  /** Input `index` as a TF node in `layout`. */
  input(node: OnnxNode, index: number, layout: Layout): TfValue {
    return this.value(node.inputs[index] ?? '', layout, `ONNX ${node.opType} '${node.label}'`);
  }

  /** ONNX value `name` as a TF node in `layout`. A size-1 value broadcasts the same in both and is not converted. */
  value(name: string, layout: Layout, user: string): TfValue {
    const stored = this.#values.get(name);
    if (stored) {
      if (stored.layout === layout || stored.dims.every((d) => d === 1)) return stored;
      return this.#relayout(name, stored, layout);
    }
    const constant = this.#onnx.initializers.get(name);
    if (!constant) throw new UserError('model', `${user}: value '${name}' is not produced by any node before it`);
    return this.#constantValue(name, constant, layout);
  }

  /** Input `index` for an op that only depends on memory order (Reshape, Flatten): no Transpose when the layouts agree. */
  inputInOnnxMemoryOrder(node: OnnxNode, index: number): TfValue {
    const stored = this.#values.get(node.inputs[index] ?? '');
    if (stored?.layout === 'nhwc' && sameMemoryOrder(stored.dims)) return stored;
    return this.input(node, index, 'onnx');
  }

  define(onnxName: string, value: TfValue): void {
    this.#values.set(onnxName, value);
  }

  /** A symbol for a run-time size no ONNX dim_param names. */
  freshSymbol(): string {
    this.#symbols++;
    return `?${this.#symbols}`;
  }

  /** The only node reading `name`, when the graph does not also output it. */
  soleConsumer(name: string): OnnxNode | undefined {
    const consumers = this.#consumers.get(name) ?? [];
    return consumers.length === 1 && !this.#outputs.has(name) ? consumers[0] : undefined;
  }

  /** Marks a node as done by another's converter (a Relu fused into its Conv). */
  absorb(node: OnnxNode): void {
    this.#absorbed.add(node);
  }

  isAbsorbed(node: OnnxNode): boolean {
    return this.#absorbed.has(node);
  }

  /** A Reshape to `dims`; TF.js can infer one run-time size (-1), not two. */
  reshape(base: string, from: TfValue, dims: readonly Dim[], layout: Layout, where: OnnxNode | string): TfValue {
    const target = tfDims(dims);
    if (target.filter((d) => d === -1).length > 1) {
      const label = typeof where === 'string' ? where : `${where.opType} '${where.label}'`;
      throw new UserError('model', `ONNX ${label}: reshaping to [${dims.join(', ')}] needs more than one run-time size; TF.js Reshape can infer only one`);
    }
    const shape = this.tf.ints(`${base}/shape`, target);
    return { tfName: this.tf.op(base, 'Reshape', [from.tfName, shape]), dtype: from.dtype, dims, layout };
  }

  #describe(node: OnnxNode, index: number): { dims: readonly Dim[]; dtype: TfDtype } {
    const name = node.inputs[index] ?? '';
    const value = this.#values.get(name);
    if (value) return value;
    const constant = this.#onnx.initializers.get(name);
    if (!constant) throw new UserError('model', `ONNX ${node.opType} '${node.label}': value '${name}' is not produced by any node before it`);
    return { dims: constant.dims, dtype: constant.dtype === 'float32' ? 'float32' : 'int32' };
  }

  #relayout(name: string, stored: TfValue, layout: Layout): TfValue {
    const key = `${name}|${layout}`;
    const cached = this.#materialized.get(key);
    if (cached) return cached;
    const base = `${stored.tfName}/${layout === 'nhwc' ? 'nhwc' : 'nchw'}`;
    const value = sameMemoryOrder(stored.dims)
      ? this.reshape(base, stored, layout === 'nhwc' ? TO_NHWC.map((a) => stored.dims[a]!) : stored.dims, layout, `value '${name}'`)
      : { ...stored, tfName: this.tf.op(base, 'Transpose', [stored.tfName, this.tf.ints(`${base}/perm`, layout === 'nhwc' ? TO_NHWC : TO_NCHW)]), layout };
    const how = sameMemoryOrder(stored.dims) ? 'Reshape' : 'Transpose';
    this.relayouts.push(`'${name}' ${layout === 'nhwc' ? 'NCHW->NHWC' : 'NHWC->NCHW'} by ${how}`);
    // A reshape's dims are in TF order when nhwc; keep ONNX order in the record.
    const record = { ...value, dims: stored.dims, layout };
    this.#materialized.set(key, record);
    return record;
  }

  #constantValue(name: string, constant: OnnxConstant, layout: Layout): TfValue {
    const sizeOne = constant.dims.every((d) => d === 1);
    const effective: Layout = sizeOne || layout === 'onnx' ? 'onnx' : 'nhwc';
    const key = `${name}|${effective}`;
    const cached = this.#materialized.get(key);
    if (cached) return cached;
    let values = constant.values;
    let dims = [...constant.dims];
    if (effective === 'nhwc') {
      if (dims.length > 4) throw new UserError('model', `ONNX initializer '${name}': rank ${dims.length} cannot broadcast against a 4-D image`);
      while (dims.length < 4) dims.unshift(1);
      values = transposeValues(values, dims, TO_NHWC);
      dims = TO_NHWC.map((a) => dims[a]!);
    }
    const dtype: TfDtype = constant.dtype === 'float32' ? 'float32' : 'int32';
    const tfValues = values instanceof BigInt64Array ? int64ToInt32(values, name) : values;
    const tfName = this.tf.constant(effective === 'nhwc' ? `${name}/nhwc` : name, dtype, dims, tfValues);
    const onnxDims = effective === 'nhwc' ? TO_NCHW.map((a) => dims[a]!) : dims;
    const value: TfValue = { tfName, dtype, dims: onnxDims, layout: effective };
    this.#materialized.set(key, value);
    return value;
  }
}

/** NCHW and NHWC list the same numbers in the same order when C is 1 or H*W is 1. */
function sameMemoryOrder(dims: readonly Dim[]): boolean {
  const [, c, h, w] = dims;
  return dims.length === 4 && (c === 1 || (h === 1 && w === 1)) && dims.slice(1).every(isKnown);
}

/** TF.js has no int64: integer constants become int32, which must hold them. */
export function int64ToInt32(values: BigInt64Array, what: string): Int32Array {
  return Int32Array.from(values, (v) => {
    if (v < BigInt(INT32_MIN) || v > BigInt(INT32_MAX)) {
      throw new UserError('model', `ONNX initializer '${what}': value ${v} does not fit int32, and TF.js has no int64`);
    }
    return Number(v);
  });
}
