import { parseDatatype, tensorBytes, tensorFromBytes, tensorFromJson, type V2Datatype } from './datatypes.js';
import type { GrpcContents, GrpcInferRequest, GrpcInferResponse, GrpcParameter, GrpcTensor } from './grpc-service.js';
import { ProtocolError } from './protocol-error.js';
import type { InferRequest, InferResponse, Parameters, WireTensor } from './types.js';

/**
 * Converts between the protocol's ModelInfer messages (as @grpc/proto-loader presents them)
 * and mlbench's tensors. mlbench sends tensor data as raw_input_contents (what Triton's own
 * clients do: no per-element encoding); it reads both raw contents and typed `contents`.
 */

export function toGrpcRequest(model: string, version: string, inputs: readonly WireTensor[], id = ''): GrpcInferRequest {
  return {
    model_name: model,
    model_version: version,
    id,
    inputs: inputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: [...t.shape] })),
    raw_input_contents: inputs.map((t) => bufferOf(t)),
  };
}

export function fromGrpcRequest(message: GrpcInferRequest): InferRequest {
  const inputs = message.inputs ?? [];
  if (inputs.length === 0) throw new ProtocolError('request: no inputs');
  const raw = message.raw_input_contents ?? [];
  if (raw.length > 0 && raw.length !== inputs.length) {
    throw new ProtocolError(`request: ${raw.length} raw_input_contents for ${inputs.length} inputs (must be one per input, or none)`);
  }
  return {
    id: message.id === '' ? null : message.id,
    inputs: inputs.map((t, i) => fromGrpcTensor(t, raw[i], `input '${t.name}'`)),
    outputs: (message.outputs ?? []).map((o) => o.name),
    binaryOutputs: true,
    parameters: fromGrpcParameters(message.parameters),
  };
}

export function toGrpcResponse(response: InferResponse): GrpcInferResponse {
  return {
    model_name: response.modelName,
    model_version: response.modelVersion ?? '',
    id: response.id ?? '',
    parameters: toGrpcParameters(response.parameters),
    outputs: response.outputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: [...t.shape] })),
    raw_output_contents: response.outputs.map((t) => bufferOf(t)),
  };
}

export function fromGrpcResponse(message: GrpcInferResponse): InferResponse {
  const outputs = message.outputs ?? [];
  const raw = message.raw_output_contents ?? [];
  if (raw.length > 0 && raw.length !== outputs.length) {
    throw new ProtocolError(`response: ${raw.length} raw_output_contents for ${outputs.length} outputs`);
  }
  return {
    modelName: message.model_name,
    modelVersion: message.model_version === '' ? null : message.model_version,
    id: message.id === '' ? null : message.id,
    outputs: outputs.map((t, i) => fromGrpcTensor(t, raw[i], `output '${t.name}'`)),
    parameters: fromGrpcParameters(message.parameters),
  };
}

function bufferOf(tensor: WireTensor): Buffer {
  const bytes = tensorBytes(tensor.data);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function fromGrpcTensor(tensor: GrpcTensor, raw: Buffer | undefined, label: string): WireTensor {
  const datatype = parseDatatype(tensor.datatype, label);
  const shape = (tensor.shape ?? []).map(Number);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new ProtocolError(`${label}: shape [${shape.join(', ')}] has a negative or fractional dimension`);
  if (raw !== undefined) return { name: tensor.name, datatype, shape, data: tensorFromBytes(datatype, raw, shape, label) };
  if (!tensor.contents) throw new ProtocolError(`${label}: neither contents nor raw contents`);
  return { name: tensor.name, datatype, shape, data: tensorFromJson(datatype, contentsArray(datatype, tensor.contents, label), shape, label) };
}

/** The typed `contents` field the protocol assigns to each datatype. */
function contentsArray(datatype: V2Datatype, contents: GrpcContents, label: string): unknown[] {
  switch (datatype) {
    case 'BOOL':
      return contents.bool_contents ?? [];
    case 'INT8':
    case 'INT16':
    case 'INT32':
      return contents.int_contents ?? [];
    case 'INT64':
      return contents.int64_contents ?? [];
    case 'UINT8':
    case 'UINT16':
    case 'UINT32':
      return contents.uint_contents ?? [];
    case 'UINT64':
      return contents.uint64_contents ?? [];
    case 'FP32':
      return contents.fp32_contents ?? [];
    case 'FP64':
      return contents.fp64_contents ?? [];
    case 'FP16':
      throw new ProtocolError(`${label}: FP16 has no typed contents field; send it in raw_input_contents`);
  }
}

function fromGrpcParameters(parameters: Record<string, GrpcParameter> | undefined): Parameters {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, p] of Object.entries(parameters ?? {})) {
    const choice = p.parameter_choice as keyof GrpcParameter | undefined;
    const value = choice !== undefined ? p[choice] : undefined;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = value;
  }
  return out;
}

function toGrpcParameters(parameters: Parameters): Record<string, GrpcParameter> {
  const out: Record<string, GrpcParameter> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (typeof value === 'boolean') out[key] = { bool_param: value };
    else if (typeof value === 'string') out[key] = { string_param: value };
    else if (Number.isInteger(value)) out[key] = { int64_param: value };
    else out[key] = { double_param: value };
  }
  return out;
}
