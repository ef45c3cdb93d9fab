/**
 * int8-dynamic variant, the graph onnxruntime's quantize_dynamic writes: weights stored as
 * int8 (symmetric, one scale per output channel), activations quantized to uint8 at run time
 * by DynamicQuantizeLinear, then MatMulInteger / ConvInteger -> Cast -> Mul by the product of
 * the two scales (+ Add bias). onnxruntime fuses the MatMul form into DynamicQuantizeMatMul.
 */

import { inferElemTypes } from './onnx/elem-types.js';
import { GraphIndex } from './onnx/graph-index.js';
import { describeOp, floatAttributeValue, intAttribute, intAttributeValue, type NameAllocator, node } from './onnx/nodes.js';
import { ElemType, type GraphProto, type NodeProto, type TensorProto } from './onnx/proto.js';
import { float32Tensor, int8Tensor, readFloat32, tensorDims } from './onnx/tensors.js';
import { quantizeInt8PerChannel } from './quant-math.js';

interface QuantizedWeight {
  /** int8 weight initializer. */
  readonly values: string;
  readonly zeroPoint: string;
  /** float32 scales, shaped to broadcast over the op's output. */
  readonly scales: string;
}

class DynamicRewriter {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly replacedWeights = new Set<string>();
  readonly #names: NameAllocator;

  constructor(names: NameAllocator) {
    this.#names = names;
  }

  /** Weights [K, N] as int8 with a scale per column N. */
  matMulWeight(name: string, values: Float32Array, dims: readonly number[]): QuantizedWeight {
    const quantized = quantizeInt8PerChannel(values, dims, 1);
    return this.#addWeight(name, dims, quantized.values, quantized.scales, [quantized.scales.length]);
  }

  /** Conv weights [M, C, ...kernel] with a scale per output channel, scales shaped [M, 1, ...]. */
  convWeight(name: string, values: Float32Array, dims: readonly number[]): QuantizedWeight {
    const quantized = quantizeInt8PerChannel(values, dims, 0);
    const scaleDims = [dims[0]!, ...dims.slice(2).map(() => 1)];
    return this.#addWeight(name, dims, quantized.values, quantized.scales, scaleDims);
  }

  /** Symmetric: the zero point is a scalar 0 even with per-channel scales, which the Mul applies. */
  #addWeight(name: string, dims: readonly number[], values: Int8Array, scales: Float32Array, scaleDims: readonly number[]): QuantizedWeight {
    const names = { values: this.#names.fresh(`${name}_quantized`), zeroPoint: this.#names.fresh(`${name}_zero_point`), scales: this.#names.fresh(`${name}_scale`) };
    this.initializers.push(
      int8Tensor(names.values, dims, values),
      int8Tensor(names.zeroPoint, [], Int8Array.of(0)),
      float32Tensor(names.scales, scaleDims, scales),
    );
    this.replacedWeights.add(name);
    return names;
  }

  /**
   * DynamicQuantizeLinear(x) -> integerOp -> Cast -> Mul(x scale * weight scales) (-> Add bias).
   * One DynamicQuantizeLinear per op: onnxruntime fuses it only when its outputs feed one op.
   */
  integerOp(original: NodeProto, integerOp: 'MatMulInteger' | 'ConvInteger', input: string, weight: QuantizedWeight, bias: string | null, output: string): void {
    const base = original.name || original.output?.[0] || integerOp;
    const fresh = (suffix: string) => this.#names.fresh(`${base}_${suffix}`);
    const [quantized, scale, zeroPoint] = [fresh('input_quantized'), fresh('input_scale'), fresh('input_zero_point')];
    const [accumulated, asFloat, scales] = [fresh('int32'), fresh('int32_float'), fresh('scales')];
    const scaled = bias === null ? output : fresh('scaled');
    const attributes = integerOp === 'ConvInteger' ? (original.attribute ?? []) : [];
    this.nodes.push(
      node('DynamicQuantizeLinear', fresh('quantize_input'), [input], [quantized, scale, zeroPoint]),
      node(integerOp, fresh(integerOp), [quantized, weight.values, zeroPoint, weight.zeroPoint], [accumulated], attributes),
      node('Cast', fresh('cast'), [accumulated], [asFloat], [intAttribute('to', ElemType.FLOAT)]),
      node('Mul', fresh('scale_product'), [scale, weight.scales], [scales]),
      node('Mul', fresh('rescale'), [asFloat, scales], [scaled]),
    );
    if (bias !== null) this.nodes.push(node('Add', fresh('add_bias'), [scaled, bias], [output]));
  }

  /** A float32 initializer the rewrite needs (Gemm's scaled bias, Conv's reshaped bias). */
  floatConstant(base: string, dims: readonly number[], values: Float32Array): string {
    const name = this.#names.fresh(base);
    this.initializers.push(float32Tensor(name, dims, values));
    return name;
  }
}

/** [rows, cols] -> [cols, rows]. */
function transpose2d(values: Float32Array, rows: number, cols: number): Float32Array {
  const result = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) result[c * rows + r] = values[r * cols + c]!;
  return result;
}

export function quantizeDynamic(graph: GraphProto): { readonly graph: GraphProto; readonly notes: readonly string[] } {
  const index = new GraphIndex(graph);
  const types = inferElemTypes(index);
  const rewriter = new DynamicRewriter(index.names());
  const isFloat = (name: string | undefined) => name !== undefined && types.get(name) === ElemType.FLOAT;
  const floatInitializer = (name: string | undefined) => (name !== undefined && isFloat(name) ? index.initializers.get(name) : undefined);
  const isActivation = (name: string | undefined) => isFloat(name) && !index.initializers.has(name ?? '');
  const kept = new Set<string>();

  for (const original of index.nodes) {
    const [input, weightName, biasName] = original.input ?? [];
    const output = original.output?.[0] ?? '';
    const weight = floatInitializer(weightName);
    const bias = biasName ? floatInitializer(biasName) : undefined;
    const biasUsable = !biasName || bias !== undefined;
    const weightDims = weight ? tensorDims(weight) : [];

    if (original.opType === 'MatMul' && isActivation(input) && weight && weightDims.length === 2) {
      rewriter.integerOp(original, 'MatMulInteger', input!, rewriter.matMulWeight(weightName!, readFloat32(weight), weightDims), null, output);
      continue;
    }
    if (original.opType === 'Gemm' && isActivation(input) && weight && biasUsable && intAttributeValue(original, 'transA', 0) === 0) {
      // Gemm = alpha * A * B' + beta * C: fold alpha into B (made [K, N]) and beta into C.
      const [rows, cols] = weightDims as [number, number];
      const transB = intAttributeValue(original, 'transB', 0) === 1;
      const alpha = floatAttributeValue(original, 'alpha', 1);
      const matrix = (transB ? transpose2d(readFloat32(weight), rows, cols) : readFloat32(weight)).map((v) => v * alpha);
      const dims = transB ? [cols, rows] : [rows, cols];
      const beta = floatAttributeValue(original, 'beta', 1);
      const biasInput = bias ? rewriter.floatConstant(`${biasName}_gemm_bias`, tensorDims(bias), readFloat32(bias).map((v) => v * beta)) : null;
      rewriter.integerOp(original, 'MatMulInteger', input!, rewriter.matMulWeight(weightName!, matrix, dims), biasInput, output);
      if (bias) rewriter.replacedWeights.add(biasName!);
      continue;
    }
    if (original.opType === 'Conv' && isActivation(input) && weight && biasUsable) {
      const spatial = weightDims.length - 2;
      const biasInput = bias
        ? rewriter.floatConstant(`${biasName}_per_channel`, [tensorDims(bias)[0]!, ...Array<number>(spatial).fill(1)], readFloat32(bias))
        : null;
      rewriter.integerOp(original, 'ConvInteger', input!, rewriter.convWeight(weightName!, readFloat32(weight), weightDims), biasInput, output);
      if (bias) rewriter.replacedWeights.add(biasName!);
      continue;
    }
    if ([...(original.input ?? []), ...(original.output ?? [])].some((name) => isFloat(name))) kept.add(describeOp(original));
    rewriter.nodes.push(original);
  }

  const stillUsed = new Set([...rewriter.nodes.flatMap((n) => n.input ?? []), ...index.outputs, ...(graph.input ?? []).map((i) => i.name)]);
  const initializer = [
    ...(graph.initializer ?? []).filter((t) => !rewriter.replacedWeights.has(t.name ?? '') || stillUsed.has(t.name ?? '')),
    ...rewriter.initializers,
  ];
  const notes = [
    'MatMul, Gemm (as MatMul + Add) and Conv: weights int8 symmetric per output channel, activations uint8 quantized at run time (DynamicQuantizeLinear)',
    'integer ops take uint8 activations x int8 weights, a pair onnxruntime CPU MatMulInteger and ConvInteger both run',
    ...(kept.size > 0 ? [`float32 (not quantized): ${[...kept].sort().join(', ')}`] : []),
  ];
  return { graph: { ...graph, node: rewriter.nodes, initializer }, notes };
}
