import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../workloads/paths.js';

/** What GET /v2 and ServerMetadata say about this server. */
export const SERVER_NAME = 'mlbench';

/** Protocol extensions served in full (the repository index is answered, but not load/unload, so not 'model_repository'). */
export const SERVER_EXTENSIONS = ['binary_tensor_data', 'statistics'] as const;

let cachedVersion: string | null = null;

export function serverVersion(): string {
  cachedVersion ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return cachedVersion;
}
