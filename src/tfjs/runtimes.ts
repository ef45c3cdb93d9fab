/**
 * Picks and starts a TF.js runtime. TF.js keeps one active backend per
 * process (tfjs-core's global engine): starting a runtime makes it the one
 * every model in the process runs on.
 */

import { createRequire } from 'node:module';
import { UserError } from '../cli/errors.js';
import { isMissingPackage, packageVersion, RUNTIME_LOADERS, type TfjsCore } from './runtime-loaders.js';

/** Best first: 'auto' takes the first that starts. */
export const TFJS_RUNTIMES = ['node-gpu', 'node', 'wasm', 'cpu'] as const;
export type TfjsRuntime = (typeof TFJS_RUNTIMES)[number];
/** `--tfjs-backend` choices: a runtime, or the best installed. */
export const TFJS_RUNTIME_CHOICES = ['auto', ...TFJS_RUNTIMES] as const;
export type TfjsRuntimeChoice = (typeof TFJS_RUNTIME_CHOICES)[number];

/** The tfjs-core backend name of each runtime (tfjs-node and tfjs-node-gpu both register 'tensorflow'). */
export const TFJS_BACKEND_NAMES: Record<TfjsRuntime, string> = { 'node-gpu': 'tensorflow', node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

export interface LoadedTfjsRuntime {
  readonly runtime: TfjsRuntime;
  readonly tf: TfjsCore;
  /** Package name -> version, for tfjs-core and the runtime's package. */
  readonly versions: Record<string, string>;
  /** Threads that run, or null when the runtime has no thread setting. */
  readonly threads: number | null;
  /** Why better runtimes were skipped, and what differs from the request. */
  readonly notes: string[];
}

const require = createRequire(import.meta.url);

function loadCore(): TfjsCore {
  const tf = require('@tensorflow/tfjs-core') as TfjsCore;
  // Production mode: no debug checks, and no console advice to install tfjs-node.
  tf.enableProdMode();
  return tf;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

async function tryStart(tf: TfjsCore, runtime: TfjsRuntime, threads: number): Promise<{ ok: true; threads: number | null; notes: readonly string[] } | { ok: false; why: string }> {
  const loader = RUNTIME_LOADERS[runtime];
  try {
    const started = await loader.start(tf, threads);
    return { ok: true, ...started };
  } catch (error) {
    const why = isMissingPackage(error, loader.packageName)
      ? `${loader.packageName} is not installed: ${loader.installAdvice}`
      : `${loader.packageName} did not start (${reasonOf(error)}); reinstall it: ${loader.installAdvice}`;
    return { ok: false, why };
  }
}

/**
 * Starts `requested`, or with 'auto' the best runtime that starts. `threads`
 * 0 leaves the runtime's default. An explicitly requested runtime that cannot
 * start is a UserError('backend') saying why and how to install it.
 */
export async function loadTfjsRuntime(requested: TfjsRuntime | 'auto', threads: number): Promise<LoadedTfjsRuntime> {
  if (!Number.isInteger(threads) || threads < 0) throw new UserError('flag', `--tfjs-threads ${threads}: expected a whole number >= 0 (0 = the runtime's default)`);
  const tf = loadCore();
  const candidates = requested === 'auto' ? TFJS_RUNTIMES : [requested];
  const notes: string[] = [];
  for (const runtime of candidates) {
    const result = await tryStart(tf, runtime, threads);
    if (!result.ok) {
      if (requested !== 'auto') throw new UserError('backend', `--tfjs-backend ${runtime}: ${result.why}`);
      notes.push(`${runtime} skipped: ${result.why}`);
      continue;
    }
    const versions = {
      '@tensorflow/tfjs-core': tf.version_core,
      [RUNTIME_LOADERS[runtime].packageName]: packageVersion(RUNTIME_LOADERS[runtime].packageName),
    };
    return { runtime, tf, versions, threads: result.threads, notes: [...notes, ...result.notes] };
  }
  // The cpu runtime ships with mlbench; only a broken install gets here.
  throw new UserError('backend', `no TF.js runtime could start: ${notes.join('; ')}`);
}
