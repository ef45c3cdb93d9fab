import { parseDatatype, tensorBytes, tensorFromBytes, tensorFromJson, tensorToJson } from './datatypes.js';
import { ProtocolError } from './protocol-error.js';
import { BINARY_HEADER, type InferRequest, type InferResponse, type Parameters, type RowsTensor, type WireTensor } from './types.js';

/**
 * The v2 REST API's infer bodies, in plain JSON and in Triton's binary tensor data extension:
 * a JSON header whose length is given by the Inference-Header-Content-Length HTTP header,
 * followed by each binary tensor's raw little-endian bytes, in order.
 */

export interface EncodedBody {
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

interface JsonTensor {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Record<string, unknown>;
  data?: unknown;
}

export interface RequestEncoding {
  readonly id?: string;
  /** Tensor data as binary (the extension) instead of JSON arrays. */
  readonly binaryInputs: boolean;
  /** Ask the server for binary outputs. */
  readonly binaryOutputs: boolean;
  /** Outputs to return; empty = all. */
  readonly outputs?: readonly string[];
  readonly parameters?: Parameters;
}

export function encodeInferRequest(inputs: readonly WireTensor[], encoding: RequestEncoding): EncodedBody {
  const [tensors, binary] = tensorsToJson(inputs, encoding.binaryInputs);
  return withBinary(requestJson(tensors, encoding), binary);
}

/**
 * A request in the binary extension, written into one body from `take(bytes)`: the JSON header,
 * then every input's rows in order. A batch is copied once, from the samples into the body,
 * and the body can be a reused one (see BufferPool).
 */
export function encodeBinaryRequest(inputs: readonly RowsTensor[], encoding: RequestEncoding, take: (bytes: number) => Buffer): EncodedBody {
  const sizes = inputs.map((t) => t.rows.reduce((n, row) => n + row.byteLength, 0));
  const tensors = inputs.map((t, k): JsonTensor => ({ name: t.name, datatype: t.datatype, shape: [...t.shape], parameters: { binary_data_size: sizes[k]! } }));
  const header = JSON.stringify(requestJson(tensors, { ...encoding, binaryInputs: true }));
  const headerBytes = Buffer.byteLength(header);
  const body = take(headerBytes + sizes.reduce((a, b) => a + b, 0));
  let at = body.write(header, 0);
  for (const input of inputs) {
    for (const row of input.rows) {
      body.set(tensorBytes(row), at);
      at += row.byteLength;
    }
  }
  return { body, headers: { 'content-type': 'application/octet-stream', [BINARY_HEADER]: String(headerBytes) } };
}

function requestJson(tensors: readonly JsonTensor[], encoding: RequestEncoding): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  if (encoding.id !== undefined) json['id'] = encoding.id;
  if (encoding.parameters !== undefined) json['parameters'] = encoding.parameters;
  json['inputs'] = tensors;
  const outputs = encoding.outputs ?? [];
  if (outputs.length > 0) {
    json['outputs'] = outputs.map((name) => (encoding.binaryOutputs ? { name, parameters: { binary_data: true } } : { name }));
  } else if (encoding.binaryOutputs) {
    json['parameters'] = { ...(encoding.parameters ?? {}), binary_data_output: true };
  }
  return json;
}

export function encodeInferResponse(response: InferResponse, binaryOutputs: boolean): EncodedBody {
  const json: Record<string, unknown> = { model_name: response.modelName };
  if (response.modelVersion !== null) json['model_version'] = response.modelVersion;
  if (response.id !== null) json['id'] = response.id;
  if (Object.keys(response.parameters).length > 0) json['parameters'] = response.parameters;
  const [tensors, binary] = tensorsToJson(response.outputs, binaryOutputs);
  json['outputs'] = tensors;
  return withBinary(json, binary);
}

/** `jsonLength`: the Inference-Header-Content-Length value, or null when the body is all JSON. */
export function decodeInferRequest(body: Buffer, jsonLength: number | null): InferRequest {
  const { json, rest } = splitBody(body, jsonLength, 'request');
  const inputsJson = json['inputs'];
  if (!Array.isArray(inputsJson) || inputsJson.length === 0) throw new ProtocolError("request: 'inputs' must be a non-empty array");
  const reader = new BinaryReader(rest);
  const inputs = inputsJson.map((t, i) => tensorFromJsonObject(t, `input ${i}`, reader));
  reader.assertConsumed('request');
  const outputsJson = json['outputs'];
  if (outputsJson !== undefined && !Array.isArray(outputsJson)) throw new ProtocolError("request: 'outputs' must be an array");
  const outputs = (outputsJson ?? []).map((o: unknown, i: number) => {
    if (!isObject(o) || typeof o['name'] !== 'string') throw new ProtocolError(`request: output ${i} has no name`);
    return o;
  });
  const parameters = parametersOf(json['parameters'], 'request');
  const binaryOutputs =
    parameters['binary_data_output'] === true || outputs.some((o) => isObject(o['parameters']) && o['parameters']['binary_data'] === true);
  const id = json['id'];
  return {
    id: typeof id === 'string' ? id : null,
    inputs,
    outputs: outputs.map((o) => o['name'] as string),
    binaryOutputs,
    parameters,
  };
}

export function decodeInferResponse(body: Buffer, jsonLength: number | null): InferResponse {
  const { json, rest } = splitBody(body, jsonLength, 'response');
  const outputsJson = json['outputs'];
  if (!Array.isArray(outputsJson)) throw new ProtocolError("response: 'outputs' must be an array");
  const reader = new BinaryReader(rest);
  const outputs = outputsJson.map((t, i) => tensorFromJsonObject(t, `output ${i}`, reader));
  reader.assertConsumed('response');
  const { model_name: modelName, model_version: modelVersion, id } = json;
  return {
    modelName: typeof modelName === 'string' ? modelName : '',
    modelVersion: typeof modelVersion === 'string' ? modelVersion : null,
    id: typeof id === 'string' ? id : null,
    outputs,
    parameters: parametersOf(json['parameters'], 'response'),
  };
}

/** The JSON length header's value, or null when absent; a bad value is a protocol error. */
export function parseJsonLengthHeader(value: string | string[] | undefined): number | null {
  if (value === undefined) return null;
  const text = Array.isArray(value) ? value[0] : value;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new ProtocolError(`${BINARY_HEADER}: ${JSON.stringify(text)} is not a byte count`);
  return n;
}

function tensorsToJson(tensors: readonly WireTensor[], binary: boolean): [JsonTensor[], Uint8Array[]] {
  const chunks: Uint8Array[] = [];
  const json = tensors.map((t): JsonTensor => {
    const base = { name: t.name, datatype: t.datatype, shape: [...t.shape] };
    if (!binary) return { ...base, data: tensorToJson(t.datatype, t.data) };
    const bytes = tensorBytes(t.data);
    chunks.push(bytes);
    return { ...base, parameters: { binary_data_size: bytes.byteLength } };
  });
  return [json, chunks];
}

function withBinary(json: Record<string, unknown>, binary: readonly Uint8Array[]): EncodedBody {
  const header = Buffer.from(JSON.stringify(json));
  if (binary.length === 0) return { body: header, headers: { 'content-type': 'application/json' } };
  return {
    body: Buffer.concat([header, ...binary]),
    headers: { 'content-type': 'application/octet-stream', [BINARY_HEADER]: String(header.byteLength) },
  };
}

function splitBody(body: Buffer, jsonLength: number | null, what: string): { json: Record<string, unknown>; rest: Buffer } {
  if (jsonLength !== null && jsonLength > body.byteLength) {
    throw new ProtocolError(`${what}: ${BINARY_HEADER} says ${jsonLength} bytes of JSON, but the body has ${body.byteLength}`);
  }
  const end = jsonLength ?? body.byteLength;
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8', 0, end));
  } catch (error) {
    throw new ProtocolError(`${what}: malformed JSON (${(error as Error).message})`);
  }
  if (!isObject(json)) throw new ProtocolError(`${what}: the body must be a JSON object`);
  return { json, rest: body.subarray(end) };
}

function tensorFromJsonObject(value: unknown, where: string, reader: BinaryReader): WireTensor {
  if (!isObject(value)) throw new ProtocolError(`${where}: must be an object`);
  const { name, shape } = value;
  if (typeof name !== 'string' || name === '') throw new ProtocolError(`${where}: 'name' must be a non-empty string`);
  const label = `${where.split(' ')[0]} '${name}'`;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ProtocolError(`${label}: 'shape' must be an array of non-negative integers`);
  }
  const datatype = parseDatatype(value['datatype'], label);
  const parameters = isObject(value['parameters']) ? value['parameters'] : {};
  const size = parameters['binary_data_size'];
  if (size !== undefined) {
    if (!Number.isInteger(size) || (size as number) < 0) throw new ProtocolError(`${label}: binary_data_size must be a byte count`);
    return { name, datatype, shape, data: tensorFromBytes(datatype, reader.take(size as number, label), shape, label) };
  }
  if (!('data' in value)) throw new ProtocolError(`${label}: neither 'data' nor parameters.binary_data_size`);
  return { name, datatype, shape, data: tensorFromJson(datatype, value['data'], shape, label) };
}

function parametersOf(value: unknown, where: string): Parameters {
  if (value === undefined) return {};
  if (!isObject(value)) throw new ProtocolError(`${where}: 'parameters' must be an object`);
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Hands out the binary section in tensor order and checks that nothing is left over. */
class BinaryReader {
  #at = 0;
  #last: string | null = null;
  constructor(readonly bytes: Buffer) {}
  take(size: number, label: string): Uint8Array {
    if (this.#at + size > this.bytes.byteLength) {
      throw new ProtocolError(`${label}: binary_data_size ${size} runs past the end of the body (${this.bytes.byteLength - this.#at} bytes left)`);
    }
    const out = this.bytes.subarray(this.#at, this.#at + size);
    this.#at += size;
    this.#last = label;
    return out;
  }
  assertConsumed(what: string): void {
    if (this.#at !== this.bytes.byteLength) {
      const after = this.#last === null ? 'but no tensor has binary_data_size' : `after the last binary tensor (${this.#last})`;
      throw new ProtocolError(`${what}: ${this.bytes.byteLength - this.#at} bytes of binary data ${after}`);
    }
  }
}
