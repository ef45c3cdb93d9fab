import { basename } from 'node:path';
import { describeLength } from './lengths.js';
import type { PromptSetSpec } from './types.js';

/** One line for the run summary, e.g. "256 prompts, input 16-96 tokens, output 8-128, seed 1". */
export function describeSpec(spec: PromptSetSpec): string {
  const parts = [spec.turns > 1 ? `${spec.count} prompts (${spec.count / spec.turns} sessions x ${spec.turns} turns)` : `${spec.count} prompts`];
  if (spec.sharedPrefixTokens > 0) parts.push(`shared prefix ${spec.sharedPrefixTokens} tokens`);
  if (spec.lengthFile !== null) {
    parts.push(`lengths from ${basename(spec.lengthFile)} (cycled)`);
  } else {
    parts.push(`input ${describeLength(spec.input)} tokens`, `output ${describeLength(spec.output)}`);
  }
  parts.push(`seed ${spec.seed}`);
  return parts.join(', ');
}
