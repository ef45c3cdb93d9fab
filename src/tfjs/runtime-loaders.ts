/**
 * How each TF.js runtime is loaded in Node, what it needs installed, and how
 * its thread count is set and read back.
 *
 * tfjs-node and tfjs-node-gpu are optional peer dependencies (their install
 * downloads libtensorflow), so they are required lazily and may be missing.
 */

import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';
import type { TfjsRuntime } from './runtimes.js';

export type TfjsCore = typeof TfCore;

const require = createRequire(import.meta.url);

export interface StartedRuntime {
  /** The thread count that runs, or null when the runtime has no setting to read. */
  readonly threads: number | null;
  readonly notes: readonly string[];
}

export interface RuntimeLoader {
  readonly packageName: string;
  /** How to get the runtime when it is missing. */
  readonly installAdvice: string;
  /** Registers the backend with tfjs-core and makes it the active one; throws why it cannot. */
  start(tf: TfjsCore, threads: number): Promise<StartedRuntime>;
}

/** The error of a require that found no such package, as opposed to one that failed to load. */
export function isMissingPackage(error: unknown, packageName: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'MODULE_NOT_FOUND' && error instanceof Error && error.message.includes(packageName);
}

export function packageVersion(packageName: string): string {
  try {
    return (require(`${packageName}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function activate(tf: TfjsCore, backendName: string): Promise<void> {
  if (!(await tf.setBackend(backendName))) throw new Error(`TF.js could not initialize its '${backendName}' backend`);
}

/**
 * libtensorflow reads its intra-op pool size from TF_NUM_INTRAOP_THREADS when
 * it starts, so it must be set before the first require. Read back it cannot
 * be: the count reported is the one requested.
 */
function nodeLoader(packageName: string, installAdvice: string): RuntimeLoader {
  return {
    packageName,
    installAdvice,
    async start(tf, threads) {
      const notes: string[] = [];
      const alreadyStarted = require.cache[safeResolve(packageName) ?? ''] !== undefined;
      if (threads > 0 && !alreadyStarted) process.env['TF_NUM_INTRAOP_THREADS'] = String(threads);
      require(packageName);
      await activate(tf, 'tensorflow');
      const fromEnvironment = Number(process.env['TF_NUM_INTRAOP_THREADS']);
      const effective = Number.isInteger(fromEnvironment) && fromEnvironment > 0 ? fromEnvironment : null;
      if (threads > 0 && effective !== threads) {
        notes.push(`${packageName} was already started in this process; its thread count cannot change (asked ${threads})`);
      }
      if (effective !== null) notes.push(`libtensorflow intra-op threads: ${effective}, set through TF_NUM_INTRAOP_THREADS before it started (not read back)`);
      return { threads: effective, notes };
    },
  };
}

function safeResolve(packageName: string): string | undefined {
  try {
    return require.resolve(packageName);
  } catch {
    return undefined;
  }
}

/** setWasmPaths and setThreadsCount only count before the wasm backend first starts; later requests get the first's threads. */
let wasmConfigured = false;

const wasmLoader: RuntimeLoader = {
  packageName: '@tensorflow/tfjs-backend-wasm',
  installAdvice: 'npm install @tensorflow/tfjs-backend-wasm',
  async start(tf, threads) {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    const notes: string[] = [];
    if (!wasmConfigured) {
      // The .wasm binaries sit beside the package's Node bundle; say so explicitly so a bundled or relocated build still finds them.
      wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
      if (threads > 0) wasm.setThreadsCount(threads);
      wasmConfigured = true;
    }
    await withoutEmscriptenHandlers(() => activate(tf, 'wasm'));
    const ran = wasm.getThreadsCount();
    if (threads > ran) {
      notes.push(
        `wasm ran ${ran} thread(s), not ${threads}: tfjs-backend-wasm turns multithreading off under Node (WASM_HAS_MULTITHREAD_SUPPORT is false there), and its threaded build cannot start workers from blob: URLs in Node`,
      );
    }
    return { threads: ran, notes };
  },
};

/**
 * The wasm module's Emscripten glue adds process 'uncaughtException' and
 * 'unhandledRejection' listeners that rethrow; they would change how the CLI
 * reports errors, so the ones it adds are removed again.
 */
async function withoutEmscriptenHandlers(start: () => Promise<void>): Promise<void> {
  const emitter: NodeJS.EventEmitter = process;
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = events.map((event) => new Set(emitter.listeners(event)));
  try {
    await start();
  } finally {
    events.forEach((event, i) => {
      for (const listener of emitter.listeners(event)) {
        if (!before[i]!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    });
  }
}

const cpuLoader: RuntimeLoader = {
  packageName: '@tensorflow/tfjs-backend-cpu',
  installAdvice: 'npm install @tensorflow/tfjs-backend-cpu',
  async start(tf, threads) {
    require('@tensorflow/tfjs-backend-cpu');
    await activate(tf, 'cpu');
    const notes = threads > 0 ? [`the cpu runtime is single-threaded JavaScript; ${threads} thread(s) asked, 1 ran`] : [];
    return { threads: null, notes };
  },
};

export const RUNTIME_LOADERS = {
  'node-gpu': nodeLoader(
    '@tensorflow/tfjs-node-gpu',
    'npm install @tensorflow/tfjs-node-gpu (its install downloads libtensorflow with CUDA; needs an NVIDIA GPU, CUDA and cuDNN)',
  ),
  node: nodeLoader('@tensorflow/tfjs-node', 'npm install @tensorflow/tfjs-node (its install downloads libtensorflow)'),
  wasm: wasmLoader,
  cpu: cpuLoader,
} as const satisfies Record<TfjsRuntime, RuntimeLoader>;
