import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PACKAGE_ROOT } from '../workloads/paths.js';

export const PROTO_PATH = join(PACKAGE_ROOT, 'schemas', 'grpc_predict_v2.proto');

/**
 * Field names as the spec writes them (snake_case), 64-bit integers as JS numbers (shapes and
 * timings fit in 2^53), oneofs named, defaults filled so readers need not test for absence.
 */
const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };

export interface InferenceServiceDefinition {
  /** The client constructor for inference.GRPCInferenceService. */
  readonly Client: grpc.ServiceClientConstructor;
  readonly service: grpc.ServiceDefinition;
}

let cached: InferenceServiceDefinition | null = null;

export function inferenceService(): InferenceServiceDefinition {
  if (cached) return cached;
  const definition = protoLoader.loadSync(PROTO_PATH, LOADER_OPTIONS);
  const inference = grpc.loadPackageDefinition(definition)['inference'] as grpc.GrpcObject;
  const Client = inference['GRPCInferenceService'] as grpc.ServiceClientConstructor;
  cached = { Client, service: Client.service };
  return cached;
}

/** The protocol's InferParameter as proto-loader shows it (one of the fields set). */
export interface GrpcParameter {
  bool_param?: boolean;
  int64_param?: number;
  string_param?: string;
  double_param?: number;
  uint64_param?: number;
  parameter_choice?: string;
}

export interface GrpcTensor {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Record<string, GrpcParameter>;
  contents?: GrpcContents | null;
}

export interface GrpcContents {
  bool_contents?: boolean[];
  int_contents?: number[];
  int64_contents?: number[];
  uint_contents?: number[];
  uint64_contents?: number[];
  fp32_contents?: number[];
  fp64_contents?: number[];
  bytes_contents?: Buffer[];
}

export interface GrpcInferRequest {
  model_name: string;
  model_version: string;
  id: string;
  parameters?: Record<string, GrpcParameter>;
  inputs: GrpcTensor[];
  outputs?: { name: string; parameters?: Record<string, GrpcParameter> }[];
  raw_input_contents: Buffer[];
}

export interface GrpcInferResponse {
  model_name: string;
  model_version: string;
  id: string;
  parameters?: Record<string, GrpcParameter>;
  outputs: GrpcTensor[];
  raw_output_contents: Buffer[];
}
