import type { GraphOptimizationLevel, OrtProvider } from '../backends/ort-backend.js';
import type { TfjsRuntimeChoice } from '../tfjs/runtimes.js';
import type { ExecutionMode, ProfileBackend, RuntimeVariant } from './types.js';

/** The runtime setting lists a profile multiplies: each backend uses the ones that apply to it. */
export interface RuntimeSettingLists {
  readonly threads: readonly number[];
  readonly providers: readonly OrtProvider[];
  readonly graphOptimizations: readonly GraphOptimizationLevel[];
  readonly executionModes: readonly ExecutionMode[];
  readonly tfjsBackends: readonly TfjsRuntimeChoice[];
}

/** Every runtime variant, backend by backend in the order given, each backend's lists multiplied. */
export function expandVariants(backends: readonly ProfileBackend[], lists: RuntimeSettingLists): RuntimeVariant[] {
  const expanders = {
    ort: () =>
      lists.providers.flatMap((provider) =>
        lists.threads.flatMap((threads) =>
          lists.graphOptimizations.flatMap((graphOptimization) =>
            lists.executionModes.map((executionMode): RuntimeVariant => ({ backend: 'ort', provider, threads, graphOptimization, executionMode })),
          ),
        ),
      ),
    tfjs: () => lists.tfjsBackends.flatMap((tfjsBackend) => lists.threads.map((threads): RuntimeVariant => ({ backend: 'tfjs', tfjsBackend, threads }))),
  } satisfies Record<ProfileBackend, () => RuntimeVariant[]>;
  return backends.flatMap((backend) => expanders[backend]());
}

const threadWords = (threads: number): string => (threads === 0 ? 'default threads' : `${threads} thread${threads === 1 ? '' : 's'}`);

/** The variant's settings in words: "cpu, 2 threads, graph all, sequential". */
export function describeVariant(variant: RuntimeVariant): string {
  switch (variant.backend) {
    case 'ort':
      return `${variant.provider}, ${threadWords(variant.threads)}, graph ${variant.graphOptimization}, ${variant.executionMode}`;
    case 'tfjs':
      return `${variant.tfjsBackend}, ${threadWords(variant.threads)}`;
  }
}

/** The variant as `mlbench run` flags, without the leading dashes: recorded in each row. */
export function variantFlags(variant: RuntimeVariant): Record<string, string | number> {
  switch (variant.backend) {
    case 'ort':
      return {
        backend: 'ort',
        provider: variant.provider,
        'intra-op-threads': variant.threads,
        'graph-optimization': variant.graphOptimization,
        'execution-mode': variant.executionMode,
      };
    case 'tfjs':
      return { backend: 'tfjs', 'tfjs-backend': variant.tfjsBackend, 'tfjs-threads': variant.threads };
  }
}
