import type { QuerySampleLibrary } from '../../loadgen/types.js';
import type { LlmPrompt } from '../types.js';

/**
 * The prompts as the load generator's sample library. Prompts are small text, so the whole set
 * is the performance set and loading or unloading has nothing to do.
 */
export class PromptLibrary implements QuerySampleLibrary {
  readonly name: string;
  readonly totalSampleCount: number;
  readonly performanceSampleCount: number;
  readonly prompts: readonly LlmPrompt[];

  constructor(name: string, prompts: readonly LlmPrompt[]) {
    if (prompts.length === 0) throw new Error(`prompt library ${name} has no prompts`);
    this.name = name;
    this.prompts = prompts;
    this.totalSampleCount = prompts.length;
    this.performanceSampleCount = prompts.length;
  }

  async loadSamples(_indices: readonly number[]): Promise<void> {}

  async unloadSamples(_indices: readonly number[]): Promise<void> {}

  /** The prompt at a sample index; an index outside the set is a harness bug: throw. */
  prompt(index: number): LlmPrompt {
    const prompt = this.prompts[index];
    if (prompt === undefined) throw new RangeError(`sample ${index} is outside ${this.name} (${this.prompts.length} prompts)`);
    return prompt;
  }
}
