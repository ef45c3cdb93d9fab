/**
 * fp16 variant: float initializers stored as FLOAT16 and every op that has a float16 form in
 * ONNX computes in float16. Graph inputs and outputs stay float32 (Casts at the edges) so
 * callers feed and read the same float32 tensors as with the fp32 model. Integer tensors
 * (token ids, shapes, indices) are untouched.
 */

import { toHalfArray } from '../numeric/float16.js';
import { inferElemTypes } from './onnx/elem-types.js';
import { GraphIndex } from './onnx/graph-index.js';
import { describeOp, intAttribute, isDefaultDomain, node } from './onnx/nodes.js';
import { type AttributeProto, AttributeType, ElemType, type GraphProto, type NodeProto, type TensorProto } from './onnx/proto.js';
import { float16Tensor, readFloat32, tensorDims } from './onnx/tensors.js';

/** Ops whose float type constraint includes float16 at opset 17 (ops outside it stay float32). */
const FLOAT16_OPS = new Set([
  'Abs', 'Add', 'AveragePool', 'BatchNormalization', 'Cast', 'Ceil', 'Clip', 'Concat', 'Constant', 'ConstantOfShape',
  'Conv', 'ConvTranspose', 'Cos', 'CumSum', 'DepthToSpace', 'Div', 'Dropout', 'Elu', 'Equal', 'Erf', 'Exp', 'Expand',
  'Flatten', 'Floor', 'Gather', 'GatherElements', 'GatherND', 'Gemm', 'GlobalAveragePool', 'GlobalMaxPool', 'Greater',
  'GreaterOrEqual', 'HardSigmoid', 'HardSwish', 'Identity', 'InstanceNormalization', 'IsInf', 'IsNaN', 'LRN',
  'LayerNormalization', 'LeakyRelu', 'Less', 'LessOrEqual', 'Log', 'LogSoftmax', 'MatMul', 'Max', 'MaxPool', 'Mean',
  'Min', 'Mod', 'Mul', 'Neg', 'PRelu', 'Pad', 'Pow', 'Reciprocal', 'ReduceL1', 'ReduceL2', 'ReduceLogSum',
  'ReduceLogSumExp', 'ReduceMax', 'ReduceMean', 'ReduceMin', 'ReduceProd', 'ReduceSum', 'ReduceSumSquare', 'Relu',
  'Reshape', 'Resize', 'Round', 'Selu', 'Shape', 'Sigmoid', 'Sign', 'Sin', 'Size', 'Slice', 'Softmax', 'Softplus',
  'Softsign', 'Split', 'Sqrt', 'Squeeze', 'Sub', 'Sum', 'Tan', 'Tanh', 'Tile', 'Transpose', 'Unsqueeze', 'Where',
]);

/** Inputs that accept any element type: they keep whatever precision the tensor has. */
const ANY_TYPE_INPUTS: Readonly<Record<string, readonly number[]>> = { Cast: [0], Shape: [0], Size: [0] };
/** Float inputs fixed to float32 by the op's schema. */
const FLOAT32_INPUTS: Readonly<Record<string, readonly number[]>> = { Resize: [2] };

/**
 * What onnxruntime-node's CPU provider does with the result, seen in its optimized graphs of
 * both built-in models (1.30, x86-64).
 */
export const FLOAT16_CPU_NOTE =
  'onnxruntime CPU (x86-64) has float16 kernels for few ops: it casts around the others and folds the weight casts, so compute runs in float32 on float16-rounded weights; fp16 halves the file, it is not faster on CPU';

/** The largest finite float16; larger weights are clamped to it rather than becoming infinite. */
const FLOAT16_MAX = 65504;

type Precision = 'f16' | 'f32';

function isConverted(node: NodeProto): boolean {
  return isDefaultDomain(node) && FLOAT16_OPS.has(node.opType ?? '');
}

/** The precision a node wants a float input in, or null when any precision will do. */
function wantedInputPrecision(node: NodeProto, slot: number): Precision | null {
  if (!isConverted(node)) return 'f32';
  const op = node.opType ?? '';
  if (ANY_TYPE_INPUTS[op]?.includes(slot)) return null;
  if (FLOAT32_INPUTS[op]?.includes(slot)) return 'f32';
  return 'f16';
}

/** The precision of a node's float output: float16 unless the node stays float32 or the slot is fixed. */
function outputPrecision(node: NodeProto, slot: number): Precision {
  if (!isConverted(node)) return 'f32';
  // LayerNormalization's Mean and InvStdDev are in stash_type, float32 by default.
  if (node.opType === 'LayerNormalization' && slot > 0) return 'f32';
  return 'f16';
}

/** Counts the values clamped to the float16 range, for the notes. */
class Float16Converter {
  clamped = 0;

  tensor(tensor: TensorProto): TensorProto {
    return this.values(tensor.name ?? '', tensorDims(tensor), readFloat32(tensor));
  }

  values(name: string, dims: readonly number[], values: Float32Array): TensorProto {
    const clamped = values.map((v) => Math.min(FLOAT16_MAX, Math.max(-FLOAT16_MAX, v)));
    this.clamped += clamped.filter((v, i) => v !== values[i] && !Number.isNaN(v)).length;
    return float16Tensor(name, dims, toHalfArray(clamped));
  }
}

/** Constant / ConstantOfShape values and Cast targets that name float32 become float16. */
function convertAttributes(original: NodeProto, converter: Float16Converter): AttributeProto[] {
  return (original.attribute ?? []).map((attr) => {
    if (original.opType === 'Cast' && attr.name === 'to' && attr.i != null && Number(attr.i) === ElemType.FLOAT) {
      return intAttribute('to', ElemType.FLOAT16);
    }
    if (attr.name === 'value' && attr.t?.dataType === ElemType.FLOAT) return { ...attr, t: converter.tensor(attr.t) };
    if (original.opType === 'Constant' && attr.name === 'value_float') {
      return { name: 'value', type: AttributeType.TENSOR, t: converter.values('', [], Float32Array.of(attr.f ?? 0)) };
    }
    if (original.opType === 'Constant' && attr.name === 'value_floats') {
      const values = Float32Array.from(attr.floats ?? []);
      return { name: 'value', type: AttributeType.TENSOR, t: converter.values('', [values.length], values) };
    }
    return attr;
  });
}

export function convertToFloat16(graph: GraphProto): { readonly graph: GraphProto; readonly notes: readonly string[] } {
  const index = new GraphIndex(graph);
  const types = inferElemTypes(index);
  const names = index.names();
  const isFloat = (tensor: string) => types.get(tensor) === ElemType.FLOAT;

  // Where each float tensor lives: its precision and the name it has in that precision.
  const home = new Map<string, { readonly precision: Precision; readonly name: string }>();
  for (const name of index.inputs) if (isFloat(name)) home.set(name, { precision: 'f32', name });
  for (const [name] of index.initializers) {
    if (!isFloat(name)) continue;
    const wanted = index.usesOf(name).map((use) => wantedInputPrecision(use.node, use.slot));
    const onlyFloat32 = wanted.length > 0 && wanted.every((w) => w === 'f32');
    home.set(name, { precision: onlyFloat32 ? 'f32' : 'f16', name });
  }
  for (const original of index.nodes) {
    (original.output ?? []).forEach((name, slot) => {
      if (name === '' || !isFloat(name)) return;
      const precision = outputPrecision(original, slot);
      // A graph output keeps its name and float32; the node writes a float16 twin that a Cast reads.
      const renamed = precision === 'f16' && index.outputs.has(name) ? names.fresh(`${name}_fp16`) : name;
      home.set(name, { precision, name: renamed });
    });
  }

  const converter = new Float16Converter();
  const nodes: NodeProto[] = [];
  const casts = new Map<string, string>();
  /** The tensor's name in `precision`, adding a Cast (once per tensor and precision) if needed. */
  const inPrecision = (tensor: string, precision: Precision | null): string => {
    const at = home.get(tensor);
    if (at === undefined || precision === null || at.precision === precision) return at?.name ?? tensor;
    const key = `${precision}:${tensor}`;
    let castName = casts.get(key);
    if (castName === undefined) {
      castName = precision === 'f32' && index.outputs.has(tensor) ? tensor : names.fresh(`${tensor}_${precision === 'f16' ? 'fp16' : 'fp32'}`);
      const to = precision === 'f16' ? ElemType.FLOAT16 : ElemType.FLOAT;
      nodes.push(node('Cast', names.fresh(`${castName}_cast`), [at.name], [castName], [intAttribute('to', to)]));
      casts.set(key, castName);
    }
    return castName;
  };

  for (const original of index.nodes) {
    const input = (original.input ?? []).map((name, slot) =>
      name !== '' && isFloat(name) ? inPrecision(name, wantedInputPrecision(original, slot)) : name,
    );
    const output = (original.output ?? []).map((name) => home.get(name)?.name ?? name);
    const attr = isConverted(original) ? convertAttributes(original, converter) : original.attribute;
    nodes.push({ ...original, input, output, attribute: attr ?? [] });
  }
  for (const name of index.outputs) if (isFloat(name)) inPrecision(name, 'f32');

  const initializer = (graph.initializer ?? []).map((tensor) =>
    home.get(tensor.name ?? '')?.precision === 'f16' ? converter.tensor(tensor) : tensor,
  );
  const valueInfo = (graph.valueInfo ?? []).map((info) => {
    const at = home.get(info.name ?? '');
    if (at?.precision !== 'f16' || !info.type?.tensorType) return info;
    return { ...info, name: at.name, type: { ...info.type, tensorType: { ...info.type.tensorType, elemType: ElemType.FLOAT16 } } };
  });

  const keptOps = [...new Set(index.nodes.filter((n) => !isConverted(n) && touchesFloat(n, isFloat)).map(describeOp))].sort();
  const notes = [
    'float initializers stored as float16; graph inputs and outputs stay float32 (Cast at the edges)',
    ...(keptOps.length > 0 ? [`float32 (no float16 form handled): ${keptOps.join(', ')}`] : []),
    ...(converter.clamped > 0 ? [`${converter.clamped} weight values beyond the float16 range clamped to +-${FLOAT16_MAX}`] : []),
    FLOAT16_CPU_NOTE,
  ];
  return { graph: { ...graph, node: nodes, initializer, valueInfo }, notes };
}

function touchesFloat(n: NodeProto, isFloat: (tensor: string) => boolean): boolean {
  return [...(n.input ?? []), ...(n.output ?? [])].some((name) => name !== '' && isFloat(name));
}
