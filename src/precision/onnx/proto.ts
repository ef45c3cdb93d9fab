/**
 * The onnx-proto types and element types the transforms use, and reading/writing a model.
 * protobufjs gives int64 fields as Long objects; every count here fits in a number.
 */

import onnxProto from 'onnx-proto';
import { UserError } from '../../cli/errors.js';

export const { onnx } = onnxProto;

export type ModelProto = onnxProto.onnx.IModelProto;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;

export const ElemType = onnx.TensorProto.DataType;
export const AttributeType = onnx.AttributeProto.AttributeType;

export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && 'toNumber' in value) {
    return (value as { toNumber(): number }).toNumber();
  }
  throw new TypeError(`not an integer: ${String(value)}`);
}

/** A model whose graph is present; the transforms work on the decoded message. */
export interface DecodedModel {
  readonly model: ModelProto;
  readonly graph: GraphProto;
}

export function decodeModel(bytes: Uint8Array): DecodedModel {
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new UserError('model', `the fp32 model is not an ONNX file: ${(error as Error).message}`);
  }
  const graph = model.graph;
  if (!graph) throw new UserError('model', 'the fp32 model has no graph');
  return { model, graph };
}

export function encodeModel(model: ModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** The version of the default ("" / "ai.onnx") opset the model imports. */
export function defaultOpsetVersion(model: ModelProto): number {
  const entry = (model.opsetImport ?? []).find((o) => o.domain === '' || o.domain === 'ai.onnx' || o.domain == null);
  if (!entry) throw new UserError('model', 'the fp32 model imports no default ONNX opset');
  return toNumber(entry.version);
}

export function requireOpset(model: ModelProto, minimum: number, what: string): void {
  const version = defaultOpsetVersion(model);
  if (version < minimum) {
    throw new UserError('model', `${what} needs ONNX opset ${minimum} or later; the fp32 model imports opset ${version}`);
  }
}

/** The model with a new graph and a metadata entry saying which precision it is. */
export function withGraph(model: ModelProto, graph: GraphProto, precision: string): ModelProto {
  const metadataProps = (model.metadataProps ?? []).filter((p) => p.key !== 'mlbench.precision');
  return { ...model, graph, metadataProps: [...metadataProps, { key: 'mlbench.precision', value: precision }] };
}
