import type { RemoteErrorKind } from './types.js';

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
