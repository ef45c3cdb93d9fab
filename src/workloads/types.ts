import type { SettingsOverrides } from '../loadgen/settings.js';
import type { ScenarioName } from '../loadgen/types.js';

export type DatasetSpec =
  | { readonly kind: 'generated'; readonly generator: 'shapes'; readonly seed: number; readonly split: 'train' | 'eval'; readonly sampleCount: number }
  | { readonly kind: 'random'; readonly seed: number; readonly sampleCount: number };

/** workloads/<name>/workload.json, as validated by schemas/workload.schema.json. */
export interface WorkloadFile {
  readonly name: string;
  readonly description: string;
  readonly task: 'image-classification' | 'generic';
  readonly model: { readonly path: string };
  readonly dataset: DatasetSpec;
  readonly performanceSampleCount: number;
  readonly accuracy?: { readonly metric: 'top1'; readonly target: number };
  readonly defaults?: Partial<Record<ScenarioName, SettingsOverrides>>;
}

/** A workload ready to run: where it came from, its model, data and accuracy rule. */
export interface WorkloadDefinition {
  readonly name: string;
  /** The workload file, or "--model <path>" for a bare model. */
  readonly source: string;
  readonly modelPath: string;
  readonly dataset: DatasetSpec;
  readonly performanceSampleCount: number;
  readonly accuracy: { readonly metric: 'top1'; readonly target: number } | null;
  readonly defaults: Partial<Record<ScenarioName, SettingsOverrides>>;
}
