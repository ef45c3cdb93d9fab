import * as grpc from '@grpc/grpc-js';
import type { GrpcInferRequest, GrpcInferResponse } from '../kserve/grpc-service.js';
import { inferenceService } from '../kserve/grpc-service.js';

type Callback<Res> = (error: grpc.ServiceError | null, response?: Res) => void;
type Unary<Req, Res> = (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: Callback<Res>) => grpc.ClientUnaryCall;

export interface GrpcTensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}

/** The GRPCInferenceService methods the client calls, typed (proto-loader's clients are untyped). */
export interface InferenceClient extends grpc.Client {
  ServerReady: Unary<Record<string, never>, { ready: boolean }>;
  ServerMetadata: Unary<Record<string, never>, { name: string; version: string; extensions: string[] }>;
  ModelMetadata: Unary<
    { name: string; version: string },
    { name: string; versions: string[]; platform: string; inputs: GrpcTensorMetadata[]; outputs: GrpcTensorMetadata[] }
  >;
  RepositoryIndex: Unary<{ repository_name: string; ready: boolean }, { models: { name: string; version: string; state: string; reason: string }[] }>;
  ModelInfer: Unary<GrpcInferRequest, GrpcInferResponse>;
}

/** No cap on message sizes: a batch of images is far beyond grpc-js's 4 MiB default. */
const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': -1,
  'grpc.max_send_message_length': -1,
};

export function inferenceClient(address: string): InferenceClient {
  const { Client } = inferenceService();
  return new Client(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS) as unknown as InferenceClient;
}

/** A setup call as a promise (not for the hot path, which calls the client directly). */
export function unary<Req, Res>(
  client: InferenceClient,
  method: Unary<Req, Res>,
  request: Req,
  metadata: grpc.Metadata,
  timeoutMs: number,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, request, metadata.clone(), { deadline: Date.now() + timeoutMs }, (error, response) => {
      if (error !== null) reject(error);
      else resolve(response as Res);
    });
  });
}

export function metadataOf(headers: Readonly<Record<string, string>>): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [name, value] of Object.entries(headers)) metadata.set(name, value);
  return metadata;
}
