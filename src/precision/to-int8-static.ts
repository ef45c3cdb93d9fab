/**
 * int8-static variant in QDQ form: QuantizeLinear -> DequantizeLinear pairs on the tensors
 * around Conv, MatMul and Gemm (activations uint8 asymmetric per tensor from calibrated
 * ranges; weights int8 symmetric per output channel; biases int32 with scale input scale x
 * weight scale), so that onnxruntime's QDQ fusions turn DQ -> op -> Q into QLinearConv,
 * QLinearMatMul, QGemm. Every other op computes in float32 on dequantized values.
 */

import { inferElemTypes } from './onnx/elem-types.js';
import { GraphIndex } from './onnx/graph-index.js';
import { describeOp, floatAttributeValue, intAttribute, intAttributeValue, isDefaultDomain, type NameAllocator, node } from './onnx/nodes.js';
import { ElemType, type GraphProto, type NodeProto, type TensorProto } from './onnx/proto.js';
import { float32Tensor, int8Tensor, int32Tensor, readFloat32, tensorDims, uint8Tensor } from './onnx/tensors.js';
import {
  type AffineParams,
  quantizeBiasInt32,
  quantizeInt8PerChannel,
  roundAwayFromZero,
  uint8AsymmetricParams,
  type ValueRange,
} from './quant-math.js';

/** Ops quantized on their inputs and output: the ones onnxruntime has int8 kernels for. */
const COMPUTE_OPS = new Set(['Conv', 'MatMul', 'Gemm']);
/** Ops whose output takes the input's scale and zero point: they only move or select values. */
const SAME_SCALE_OPS = new Set(['MaxPool', 'Relu', 'Reshape', 'Transpose', 'Flatten', 'Squeeze', 'Unsqueeze']);
/** Ops with int8 kernels whose output needs its own calibrated range. */
const REQUANTIZE_OPS = new Set(['GlobalAveragePool', 'AveragePool']);

/** Significant bits calibrated ranges are rounded outward to (see roundAwayFromZero). */
export const RANGE_SIGNIFICANT_BITS = 8;

export const ACTIVATION_SCHEME = 'uint8 asymmetric, per tensor';
export const WEIGHT_SCHEME = 'int8 symmetric, per output channel; bias int32 with scale = input scale x weight scale';

interface QuantizedTensor {
  readonly params: AffineParams;
  readonly scale: string;
  readonly zeroPoint: string;
  /** The DequantizeLinear output consumers read. */
  readonly dequantized: string;
}

/** A calibrated range as the model stores it: rounded outward so small run-to-run differences vanish. */
export function storedRange(range: ValueRange): ValueRange {
  return { min: roundAwayFromZero(range.min, RANGE_SIGNIFICANT_BITS), max: roundAwayFromZero(range.max, RANGE_SIGNIFICANT_BITS) };
}

/** Float tensors computed at run time: the ones calibration must see. */
export function activationTensors(graph: GraphProto): string[] {
  const index = new GraphIndex(graph);
  const types = inferElemTypes(index);
  const names = [...index.inputs, ...index.nodes.flatMap((n) => n.output ?? [])];
  return names.filter((name) => name !== '' && types.get(name) === ElemType.FLOAT);
}

class QdqRewriter {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly quantized = new Map<string, QuantizedTensor>();
  /** Tensors made by a quantized op: every consumer reads the dequantized value. */
  readonly replaced = new Set<string>();
  readonly #weights = new Map<string, { readonly dequantized: string; readonly scales: Float32Array }>();
  readonly #names: NameAllocator;
  readonly #ranges: ReadonlyMap<string, ValueRange>;

  constructor(names: NameAllocator, ranges: ReadonlyMap<string, ValueRange>) {
    this.#names = names;
    this.#ranges = ranges;
  }

  paramsFor(tensor: string): AffineParams {
    const range = this.#ranges.get(tensor);
    if (!range) throw new Error(`no calibrated range for ${tensor}`);
    return uint8AsymmetricParams(storedRange(range));
  }

  /** The dequantized name of `tensor`, adding Q -> DQ (with `shareWith`'s parameters, or calibrated ones). */
  activation(tensor: string, shareWith?: QuantizedTensor): QuantizedTensor {
    const existing = this.quantized.get(tensor);
    if (existing) return existing;
    let scale: string;
    let zeroPoint: string;
    let params: AffineParams;
    if (shareWith) {
      ({ scale, zeroPoint, params } = shareWith);
    } else {
      params = this.paramsFor(tensor);
      scale = this.#names.fresh(`${tensor}_scale`);
      zeroPoint = this.#names.fresh(`${tensor}_zero_point`);
      this.initializers.push(float32Tensor(scale, [], Float32Array.of(params.scale)), uint8Tensor(zeroPoint, [], Uint8Array.of(params.zeroPoint)));
    }
    const quantizedName = this.#names.fresh(`${tensor}_quantized`);
    const dequantized = this.#names.fresh(`${tensor}_dequantized`);
    this.nodes.push(
      node('QuantizeLinear', this.#names.fresh(`${tensor}_QuantizeLinear`), [tensor, scale, zeroPoint], [quantizedName]),
      node('DequantizeLinear', this.#names.fresh(`${tensor}_DequantizeLinear`), [quantizedName, scale, zeroPoint], [dequantized]),
    );
    const entry = { params, scale, zeroPoint, dequantized };
    this.quantized.set(tensor, entry);
    return entry;
  }

  /**
   * int8 weights behind a DequantizeLinear: one scale per index of `axis` (the output channel),
   * or one for the whole tensor when `axis` is null.
   */
  weight(name: string, tensor: TensorProto, axis: number | null): { readonly dequantized: string; readonly scales: Float32Array } {
    const key = `${name}@${axis}`;
    const existing = this.#weights.get(key);
    if (existing) return existing;
    const dims = tensorDims(tensor);
    const data = readFloat32(tensor);
    const { values, scales } = axis === null ? quantizeInt8PerChannel(data, [1, data.length], 0) : quantizeInt8PerChannel(data, dims, axis);
    const paramDims = axis === null ? [] : [scales.length];
    const names = ['quantized', 'scale', 'zero_point', 'dequantized'].map((suffix) => this.#names.fresh(`${name}_${suffix}`)) as [string, string, string, string];
    this.initializers.push(int8Tensor(names[0], dims, values), float32Tensor(names[1], paramDims, scales), int8Tensor(names[2], paramDims, new Int8Array(scales.length)));
    const attributes = axis === null ? [] : [intAttribute('axis', axis)];
    this.nodes.push(node('DequantizeLinear', this.#names.fresh(`${name}_DequantizeLinear`), names.slice(0, 3), [names[3]], attributes));
    const entry = { dequantized: names[3], scales };
    this.#weights.set(key, entry);
    return entry;
  }

  /** int32 bias (zero point 0) behind a DequantizeLinear along axis 0. */
  bias(name: string, tensor: TensorProto, inputScale: number, weightScales: Float32Array): string {
    const { values, scales } = quantizeBiasInt32(readFloat32(tensor), inputScale, weightScales);
    const [quantizedName, scale, dequantized] = ['quantized', 'scale', 'dequantized'].map((suffix) => this.#names.fresh(`${name}_${suffix}`)) as [string, string, string];
    this.initializers.push(int32Tensor(quantizedName, [values.length], values), float32Tensor(scale, [scales.length], scales));
    this.nodes.push(node('DequantizeLinear', this.#names.fresh(`${name}_DequantizeLinear`), [quantizedName, scale], [dequantized], [intAttribute('axis', 0)]));
    return dequantized;
  }
}

/** The output-channel axis of a compute op's weight input; null (per tensor) for a MatMul weight that is not 2-D. */
function weightAxis(original: NodeProto, dims: readonly number[]): number | null {
  if (original.opType === 'Conv') return 0;
  if (original.opType === 'Gemm') return intAttributeValue(original, 'transB', 0) === 1 ? 0 : 1;
  return dims.length === 2 ? 1 : null;
}

export function quantizeStatic(graph: GraphProto, ranges: ReadonlyMap<string, ValueRange>): { readonly graph: GraphProto; readonly notes: readonly string[] } {
  const index = new GraphIndex(graph);
  const types = inferElemTypes(index);
  const rewriter = new QdqRewriter(index.names(), ranges);
  const isFloat = (name: string | undefined) => name !== undefined && name !== '' && types.get(name) === ElemType.FLOAT;
  const floatInitializer = (name: string | undefined) => (isFloat(name) ? index.initializers.get(name!) : undefined);
  // The first input must be computed at run time: a constant there has no calibrated range.
  const isCompute = (n: NodeProto) =>
    isDefaultDomain(n) && COMPUTE_OPS.has(n.opType ?? '') && isFloat(n.input?.[0]) && isFloat(n.input?.[1]) && !index.initializers.has(n.input?.[0] ?? '');
  const notes: string[] = [];

  // A Relu right after a compute op folds into that op's output quantization: uint8 with zero
  // point 0 clamps at 0 exactly as Relu does (onnxruntime's quantizer does the same).
  const foldedRelus = new Set<NodeProto>();
  const outputAlias = new Map<string, string>();
  for (const original of index.nodes) {
    const output = original.output?.[0] ?? '';
    const uses = index.usesOf(output);
    const relu = uses[0]?.node;
    if (!isCompute(original) || uses.length !== 1 || relu?.opType !== 'Relu' || !isDefaultDomain(relu)) continue;
    const reluOutput = relu.output?.[0] ?? '';
    if (index.outputs.has(output) || index.outputs.has(reluOutput)) continue;
    foldedRelus.add(relu);
    outputAlias.set(output, reluOutput);
  }
  if (foldedRelus.size > 0) notes.push(`${foldedRelus.size} Relu after Conv/MatMul/Gemm folded into the output quantization (zero point 0)`);

  const kept = new Set<string>();
  const unquantizedBiases: string[] = [];
  for (const original of index.nodes) {
    if (foldedRelus.has(original)) continue;
    const op = original.opType ?? '';
    const inputs = [...(original.input ?? [])];
    const outputs = (original.output ?? []).map((name) => outputAlias.get(name) ?? name);
    const output = outputs[0] ?? '';
    const quantizableOutput = outputs.length === 1 && isFloat(original.output?.[0]) && !index.outputs.has(output);

    if (isCompute(original)) {
      const input = rewriter.activation(inputs[0]!);
      inputs[0] = input.dequantized;
      const weightTensor = floatInitializer(inputs[1]);
      if (weightTensor) {
        const weight = rewriter.weight(inputs[1]!, weightTensor, weightAxis(original, tensorDims(weightTensor)));
        inputs[1] = weight.dequantized;
        const biasTensor = floatInitializer(inputs[2]);
        const biasFoldable = op === 'Conv' || (op === 'Gemm' && floatAttributeValue(original, 'beta', 1) === 1 && biasTensor && tensorDims(biasTensor).length === 1);
        if (biasTensor && biasFoldable) inputs[2] = rewriter.bias(inputs[2]!, biasTensor, input.params.scale, weight.scales);
        else if (inputs[2]) unquantizedBiases.push(`${original.name || op} (${inputs[2]})`);
      } else {
        inputs[1] = rewriter.activation(inputs[1]!).dequantized;
      }
      rewriter.nodes.push({ ...original, input: inputs, output: outputs });
      if (quantizableOutput) {
        rewriter.activation(output);
        rewriter.replaced.add(output);
      }
      continue;
    }
    const quantizedInput = rewriter.quantized.get(inputs[0] ?? '');
    if (isDefaultDomain(original) && quantizedInput && quantizableOutput && (SAME_SCALE_OPS.has(op) || REQUANTIZE_OPS.has(op))) {
      inputs[0] = quantizedInput.dequantized;
      rewriter.nodes.push({ ...original, input: inputs, output: outputs });
      rewriter.activation(output, SAME_SCALE_OPS.has(op) ? quantizedInput : undefined);
      rewriter.replaced.add(output);
      continue;
    }
    const input = inputs.map((name) => (rewriter.replaced.has(name) ? rewriter.quantized.get(name)!.dequantized : name));
    if ([...(original.input ?? []), ...(original.output ?? [])].some(isFloat)) kept.add(describeOp(original));
    rewriter.nodes.push({ ...original, input, output: outputs });
  }

  const stillUsed = new Set([...rewriter.nodes.flatMap((n) => n.input ?? []), ...index.outputs, ...(graph.input ?? []).map((i) => i.name)]);
  const initializer = [...(graph.initializer ?? []).filter((t) => stillUsed.has(t.name ?? '')), ...rewriter.initializers];
  notes.unshift(`QDQ: activations ${ACTIVATION_SCHEME} (min/max calibration); weights ${WEIGHT_SCHEME}`);
  if (unquantizedBiases.length > 0) notes.push(`bias kept float32 (not a 1-D Gemm/Conv bias with beta 1): ${unquantizedBiases.join(', ')}`);
  if (kept.size > 0) notes.push(`float32 (not quantized): ${[...kept].sort().join(', ')}`);
  return { graph: { ...graph, node: rewriter.nodes, initializer }, notes };
}
