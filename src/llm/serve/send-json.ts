import type { ServerResponse } from 'node:http';

/** One JSON answer with its length (keep-alive clients need it). */
export function sendJson(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value));
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': body.byteLength });
  response.end(body);
}
