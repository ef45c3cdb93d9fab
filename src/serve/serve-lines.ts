import type { ServerStatus } from './inference-core.js';

/** Where a transport listens; null when it is switched off. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/**
 * The one line `mlbench serve` prints on stdout, once the model is loaded and warmed up:
 *   mlbench serve: ready: model shapes-cnn, http 127.0.0.1:8000, grpc 127.0.0.1:8001
 * A transport switched off reads `http off` / `grpc off`.
 */
export function formatReadyLine(model: string, http: Endpoint | null, grpc: Endpoint | null): string {
  return `mlbench serve: ready: model ${model}, http ${endpointText(http)}, grpc ${endpointText(grpc)}`;
}

const READY_LINE = /^mlbench serve: ready: model (\S+), http (\S+), grpc (\S+)$/;

/** The ready line read back (tests, benches, scripts): null when `line` is not one. */
export function parseReadyLine(line: string): { model: string; http: string | null; grpc: string | null } | null {
  const match = READY_LINE.exec(line.trim());
  if (!match) return null;
  const address = (text: string): string | null => (text === 'off' ? null : text);
  return { model: match[1]!, http: address(match[2]!), grpc: address(match[3]!) };
}

/** host:port, with IPv6 hosts in brackets as URLs and gRPC targets want them. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function endpointText(endpoint: Endpoint | null): string {
  return endpoint === null ? 'off' : hostPort(endpoint.host, endpoint.port);
}

/** The stderr line printed on shutdown: what was served and the batches the batcher formed. */
export function formatShutdownSummary(status: ServerStatus): string {
  const sizes = Object.entries(status.batchSizes)
    .map(([rows, count]) => `${rows}x${count}`)
    .join(', ');
  const batches = Object.values(status.batchSizes).reduce((a, b) => a + b, 0);
  return (
    `mlbench serve: stopped: ${count(status.success.count, 'request')} answered, ${status.fail.count} failed, ${status.refused} refused (queue full); ` +
    `${count(batches, 'batch', 'batches')}${batches > 0 ? ` (rows x count: ${sizes})` : ''}`
  );
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
