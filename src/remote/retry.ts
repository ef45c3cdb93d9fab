import { redactError } from './auth.js';
import type { RemoteRecorder } from './remote-recorder.js';
import { RemoteError, type RemoteErrorKind } from './types.js';

/**
 * Which failures a retry may cure. A request the server found wrong (client-error) or an
 * answer that breaks the protocol (malformed) would fail the same way again.
 */
export const RETRYABLE = {
  refused: true,
  'server-error': true,
  connection: true,
  timeout: true,
  'client-error': false,
  malformed: false,
} as const satisfies Record<RemoteErrorKind, boolean>;

/**
 * One request, tried again after a retryable failure up to `retries` times. Every try, failure
 * and retry is counted on `recorder`; `classify` turns what a try threw into a RemoteError, and
 * the error that ends it all is redacted of the credentials in `headers`.
 */
export async function sendWithRetries<T>(
  recorder: RemoteRecorder,
  retries: number,
  headers: Readonly<Record<string, string>>,
  classify: (error: unknown) => RemoteError,
  tryOnce: (epoch: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const epoch = recorder.sent();
    let failure: RemoteError;
    try {
      return await tryOnce(epoch);
    } catch (error) {
      failure = classify(error);
    }
    recorder.failed(failure.kind, epoch);
    if (attempt >= retries || !RETRYABLE[failure.kind]) throw redactError(failure, headers);
    recorder.retried(epoch);
  }
}

/** A request that could not even be built: counted as one failed try, so requests = successes + failures holds. */
export function buildFailure(recorder: RemoteRecorder, error: unknown): RemoteError {
  recorder.failed('client-error', recorder.sent());
  return new RemoteError('client-error', `cannot build the request: ${(error as Error).message}`);
}
