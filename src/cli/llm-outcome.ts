import { genaiPerfFields, vllmFields } from '../llm/compatible-names.js';
import { COMPLETED } from '../loadgen/recorder.js';
import type { RunTestOutcome } from '../loadgen/run-test.js';
import type { LlmRunSummary, ValidityCheck } from '../results/types.js';
import type { LlmBundlePart } from './build-llm.js';

/**
 * What only the LLM side knows, added to a finished run: input tokens of the measured prompts,
 * the length check (did each request get the max_tokens it asked for?) and the client's
 * counters. With --ignore-eos (the default) a length mismatch makes the run INVALID: token
 * rates of answers shorter than asked are not comparable.
 */
export function finishLlmOutcome(outcome: RunTestOutcome, llm: LlmBundlePart): { outcome: RunTestOutcome; llm: LlmRunSummary } {
  const { recorder } = outcome;
  let inputTokens = 0;
  let requestedTokens = 0;
  let shorter = 0;
  let longer = 0;
  let checked = 0;
  for (let s = 0; s < recorder.sampleDatasetIndex.length; s++) {
    const prompt = llm.library.prompt(recorder.sampleDatasetIndex.get(s));
    if (recorder.sampleStatus.get(s) !== COMPLETED) continue;
    // Counted over completed requests, as vLLM's total_input_tokens.
    inputTokens += llm.api === 'chat' ? prompt.chatTokens : prompt.promptTokens;
    checked++;
    requestedTokens += prompt.maxTokens;
    const got = recorder.sampleTokens?.get(s) ?? 0;
    if (got < prompt.maxTokens) shorter++;
    else if (got > prompt.maxTokens) longer++;
  }
  const outputLength = { checked, shorter, longer, requestedTokens };
  const checks = [...outcome.checks];
  const notes = [...outcome.notes];
  const mismatch = `${shorter + longer} of ${checked} completed requests did not get the max_tokens they asked for (${shorter} shorter, ${longer} longer)`;
  if (llm.ignoreEos && checked > 0) checks.splice(checks.length - 1, 0, lengthCheck(shorter, longer, checked, mismatch));
  else if (shorter + longer > 0) notes.push(`${mismatch}: allowed with --no-ignore-eos, but token rates then depend on where the model stopped`);
  const tokens = outcome.summary.tokens ? { ...outcome.summary.tokens, inputTokens } : null;
  const summary = { ...outcome.summary, tokens };
  const compatible = tokens ? { vllm: vllmFields(summary, tokens), genaiPerf: genaiPerfFields(summary, tokens) } : { vllm: {}, genaiPerf: {} };
  return {
    outcome: { ...outcome, summary, checks, notes },
    llm: { api: llm.api, promptSet: llm.promptSet, ignoreEos: llm.ignoreEos, outputLength, client: llm.client.stats(), compatible },
  };
}

function lengthCheck(shorter: number, longer: number, checked: number, mismatch: string): ValidityCheck {
  const passed = shorter + longer === 0;
  return {
    name: 'outputLength',
    passed,
    detail: passed ? `all ${checked} completed requests got exactly the max_tokens they asked for` : mismatch,
    recommendation: passed
      ? null
      : 'the server ended answers early or ran past max_tokens: check it honours ignore_eos (a vLLM extension) and max_tokens, or run with --no-ignore-eos and compare with care',
  };
}
