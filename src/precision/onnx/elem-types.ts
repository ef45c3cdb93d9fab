/**
 * Element types of every tensor in a graph, from the declared inputs and initializers forward
 * through per-op rules. onnxruntime does this internally but does not expose it, and the
 * transforms need to know which tensors are float32.
 */

import { UserError } from '../../cli/errors.js';
import type { GraphIndex } from './graph-index.js';
import { attribute, intAttributeValue } from './nodes.js';
import { AttributeType, ElemType, type NodeProto, toNumber } from './proto.js';

/** Ops whose every output has the element type of input 0 (the common case). */
const SAME_AS_FIRST_INPUT = new Set([
  'Abs', 'Add', 'AveragePool', 'BatchNormalization', 'Ceil', 'Celu', 'Clip', 'Concat', 'Conv', 'ConvTranspose',
  'Cos', 'CumSum', 'DepthToSpace', 'Div', 'Dropout', 'Elu', 'Erf', 'Exp', 'Expand', 'Flatten', 'Floor', 'Gather',
  'GatherElements', 'GatherND', 'Gemm', 'GlobalAveragePool', 'GlobalMaxPool', 'HardSigmoid', 'HardSwish',
  'Identity', 'InstanceNormalization', 'LRN', 'LayerNormalization', 'LeakyRelu', 'Log', 'LogSoftmax', 'MatMul', 'Max', 'MaxPool', 'Mean', 'Min',
  'Mish', 'Mod', 'Mul', 'Neg', 'PRelu', 'Pad', 'Pow', 'Range', 'Reciprocal', 'ReduceL1', 'ReduceL2',
  'ReduceLogSum', 'ReduceLogSumExp', 'ReduceMax', 'ReduceMean', 'ReduceMin', 'ReduceProd', 'ReduceSum',
  'ReduceSumSquare', 'Relu', 'Reshape', 'Resize', 'Round', 'ScatterElements', 'ScatterND', 'Selu', 'Shrink',
  'Sigmoid', 'Sign', 'Sin', 'Slice', 'Softmax', 'Softplus', 'Softsign', 'SpaceToDepth', 'Split', 'Sqrt', 'TopK',
  'Squeeze', 'Sub', 'Sum', 'Tan', 'Tanh', 'ThresholdedRelu', 'Tile', 'Transpose', 'Trilu', 'Unsqueeze', 'Upsample',
]);
const BOOLEAN_RESULT = new Set(['Equal', 'Greater', 'GreaterOrEqual', 'Less', 'LessOrEqual', 'Not', 'And', 'Or', 'Xor', 'IsNaN', 'IsInf']);
const INT64_RESULT = new Set(['Shape', 'Size', 'ArgMax', 'ArgMin', 'NonZero']);

/** Outputs that are not the type of input 0, by op and output slot. */
function specialOutputType(node: NodeProto, slot: number, types: ReadonlyMap<string, number>): number | undefined {
  const input = (i: number) => types.get(node.input?.[i] ?? '');
  switch (node.opType) {
    case 'MaxPool':
      return slot === 1 ? ElemType.INT64 : undefined;
    case 'Dropout':
      return slot === 1 ? ElemType.BOOL : undefined;
    case 'TopK':
      return slot === 1 ? ElemType.INT64 : input(0);
    case 'LayerNormalization':
      // Mean and InvStdDev are computed in stash_type (float32 unless told otherwise).
      return slot === 0 ? undefined : intAttributeValue(node, 'stash_type', ElemType.FLOAT);
    case 'Where':
      return input(1);
    case 'Cast':
      return intAttributeValue(node, 'to', ElemType.UNDEFINED);
    case 'Constant':
      return constantType(node);
    case 'ConstantOfShape': {
      const value = attribute(node, 'value');
      return value?.t?.dataType ?? ElemType.FLOAT;
    }
    default:
      return undefined;
  }
}

function constantType(node: NodeProto): number | undefined {
  for (const attr of node.attribute ?? []) {
    if (attr.name === 'value' && attr.t) return attr.t.dataType ?? undefined;
    if (attr.name === 'value_float' || attr.name === 'value_floats') return ElemType.FLOAT;
    if (attr.name === 'value_int' || attr.name === 'value_ints') return ElemType.INT64;
    if (attr.type === AttributeType.STRING || attr.type === AttributeType.STRINGS) return ElemType.STRING;
  }
  return undefined;
}

function ruleType(node: NodeProto, slot: number, types: ReadonlyMap<string, number>): number | undefined {
  const special = specialOutputType(node, slot, types);
  if (special !== undefined) return special;
  const op = node.opType ?? '';
  if (BOOLEAN_RESULT.has(op)) return ElemType.BOOL;
  if (INT64_RESULT.has(op)) return ElemType.INT64;
  if (SAME_AS_FIRST_INPUT.has(op)) return types.get(node.input?.[0] ?? '');
  return undefined;
}

export function inferElemTypes(index: GraphIndex): Map<string, number> {
  const { graph } = index;
  const types = new Map<string, number>();
  const declared = new Map<string, number>();
  for (const info of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) {
    const elemType = info.type?.tensorType?.elemType;
    if (info.name && elemType != null && elemType !== ElemType.UNDEFINED) declared.set(info.name, toNumber(elemType));
  }
  for (const [name, tensor] of index.initializers) types.set(name, tensor.dataType ?? ElemType.UNDEFINED);
  for (const name of index.inputs) {
    const elemType = declared.get(name);
    if (elemType === undefined) throw new UserError('model', `graph input ${name} declares no element type`);
    types.set(name, elemType);
  }
  for (const node of index.nodes) {
    const isDefault = node.domain == null || node.domain === '' || node.domain === 'ai.onnx';
    (node.output ?? []).forEach((name, slot) => {
      if (name === '') return;
      const elemType = (isDefault ? ruleType(node, slot, types) : undefined) ?? declared.get(name);
      if (elemType === undefined || elemType === ElemType.UNDEFINED) {
        throw new UserError(
          'model',
          `cannot tell the element type of ${name}, output ${slot} of ${node.name || '(unnamed)'} (${node.domain ? `${node.domain}.` : ''}${node.opType}): declare it in the graph's value_info`,
        );
      }
      types.set(name, elemType);
    });
  }
  return types;
}
