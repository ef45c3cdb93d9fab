import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export type ForceGc = () => void;

/**
 * A full collection, for heap measurements. `node --expose-gc` gives `globalThis.gc` (the bench
 * entry re-spawns itself with it); elsewhere (in-process tests) V8's flag is set at run time
 * and a fresh context picks the function up. Null when neither works.
 */
export function obtainGc(): ForceGc | null {
  const exposed = globalThis.gc;
  if (typeof exposed === 'function') return () => void exposed();
  try {
    setFlagsFromString('--expose-gc');
    const fn: unknown = runInNewContext('gc');
    if (typeof fn === 'function') return () => void (fn as () => unknown)();
  } catch {
    // Some embedders forbid flag changes: measure without a forced collection.
  }
  return null;
}
