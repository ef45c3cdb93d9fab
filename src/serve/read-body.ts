import type { IncomingMessage } from 'node:http';

export type BodyResult = { readonly kind: 'body'; readonly body: Buffer } | { readonly kind: 'too-large'; readonly bytes: number };

/**
 * Reads a request body of at most `limitBytes`. Over the limit (by Content-Length, or while
 * streaming) it stops keeping the bytes and says so at once; the rest of the body is read and
 * discarded (node does that after the response), so the client sees the 413 rather than a reset.
 */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (declared > limitBytes) return Promise.resolve({ kind: 'too-large', bytes: declared });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer): void => {
      if (received + chunk.byteLength > limitBytes) {
        cleanup();
        request.resume();
        resolve({ kind: 'too-large', bytes: received + chunk.byteLength });
        return;
      }
      chunks.push(chunk);
      received += chunk.byteLength;
    };
    const onEnd = (): void => {
      cleanup();
      // A body that came in one chunk (most single-sample requests) is used as it is, not copied.
      resolve({ kind: 'body', body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received) });
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => onError(new Error('the client closed the connection before the body ended'));
    const cleanup = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}
