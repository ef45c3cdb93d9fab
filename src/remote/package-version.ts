import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The installed version of a dependency, for the result's `backend.versions`. */
export function packageVersion(name: string): string {
  try {
    const version = (require(`${name}/package.json`) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
