import type * as grpc from '@grpc/grpc-js';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { UserError } from '../cli/errors.js';
import { redactSecrets } from './auth.js';
import type { GrpcEndpoint } from './endpoint.js';
import { type InferenceClient, unary } from './grpc-client.js';
import { grpcStatusName, isServiceError } from './grpc-failure.js';
import { chooseModel, type RemoteModel, remoteModelFromMetadata } from './model-metadata.js';
import { describeError } from './transport-error.js';

const MIN_SETUP_TIMEOUT_MS = 10_000;

export interface GrpcServerFacts {
  readonly model: RemoteModel;
  readonly server: string | null;
}

/** The gRPC twin of inspectHttpServer: reachable, ready, which model, what it takes. */
export async function inspectGrpcServer(
  client: InferenceClient,
  endpoint: GrpcEndpoint,
  metadata: grpc.Metadata,
  headers: Readonly<Record<string, string>>,
  wanted: { model: string | null; version: string; timeoutMs: number },
): Promise<GrpcServerFacts> {
  const timeoutMs = Math.max(MIN_SETUP_TIMEOUT_MS, wanted.timeoutMs);
  const url = endpoint.display;
  const why = (error: unknown): string =>
    redactSecrets(isServiceError(error) ? `${grpcStatusName(error.code)}: ${error.details}` : describeError(error), headers);

  let ready: boolean;
  try {
    ready = (await unary(client, client.ServerReady, {}, metadata, timeoutMs)).ready;
  } catch (error) {
    if (isServiceError(error) && error.code !== GrpcStatus.UNAVAILABLE && error.code !== GrpcStatus.DEADLINE_EXCEEDED) {
      throw new UserError('server', `${url} answered ServerReady with ${why(error)}; is this a KServe v2 gRPC server?`);
    }
    throw new UserError('server', `cannot reach ${url} (ServerReady): ${why(error)}; is the server running, and is this its gRPC port?`);
  }
  if (!ready) throw new UserError('server', `${url} answered not ready (ServerReady: false); wait until it has loaded its models, then run again`);

  let name = wanted.model;
  if (name === null) {
    try {
      const index = await unary(client, client.RepositoryIndex, { repository_name: '', ready: false }, metadata, timeoutMs);
      name = chooseModel(index.models.map((m) => ({ name: m.name, state: m.state })), url);
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError('server', `${url} cannot list its models (RepositoryIndex: ${why(error)}); pass --model NAME`);
    }
  }

  let model: RemoteModel;
  try {
    const answer = await unary(client, client.ModelMetadata, { name, version: wanted.version }, metadata, timeoutMs);
    model = remoteModelFromMetadata(answer, `${url} model '${name}'`);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const what = wanted.version === '' ? `model '${name}'` : `model '${name}' version ${wanted.version}`;
    throw new UserError('server', `${url} does not serve ${what} (ModelMetadata: ${why(error)})${await listModelsQuietly(client, metadata, timeoutMs)}`);
  }

  const about = await unary(client, client.ServerMetadata, {}, metadata, timeoutMs).catch(() => null);
  const server = about === null || about.name === '' ? null : about.version === '' ? about.name : `${about.name} ${about.version}`;
  return { model: { ...model, name }, server };
}

async function listModelsQuietly(client: InferenceClient, metadata: grpc.Metadata, timeoutMs: number): Promise<string> {
  try {
    const index = await unary(client, client.RepositoryIndex, { repository_name: '', ready: false }, metadata, timeoutMs);
    const names = [...new Set(index.models.map((m) => m.name))];
    return names.length > 0 ? `; it serves: ${names.join(', ')}` : '';
  } catch {
    return '';
  }
}
