import type { LlmRunSummary } from './types.js';

/** The OpenAI client's side of a run: prompts, what came back, what failed and what waited. */
export function formatLlm(llm: LlmRunSummary): string[] {
  const c = llm.client;
  const errors = Object.entries(c.errorsByKind).filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${kind}`);
  const reasons = Object.entries(c.finishReasons).map(([reason, n]) => `${n} ${reason}`);
  const lines = [
    `LLM client : /v1/${llm.api === 'chat' ? 'chat/completions' : 'completions'}, ${c.requests} requests${errors.length > 0 ? ` (${errors.join(', ')}; ${c.streamsBroken} broke midway)` : ''}; finish reasons: ${reasons.join(', ') || 'none'}`,
    `Prompts    : ${llm.promptSet}; ${llm.ignoreEos ? 'exactly max_tokens asked (ignore_eos)' : 'the model may stop early (--no-ignore-eos)'}`,
  ];
  const o = llm.outputLength;
  if (o.checked > 0) lines.push(`Lengths    : ${o.checked - o.shorter - o.longer} of ${o.checked} got their max_tokens (${o.shorter} shorter, ${o.longer} longer)`);
  if (c.promptTokensReported !== null) lines.push(`Server usage: ${c.promptTokensReported} prompt tokens reported by ${c.usageReported} requests`);
  if (c.clientQueued > 0) {
    const p99 = c.clientQueueNs?.percentilesNs['99'];
    lines.push(`Client queue: ${c.clientQueued} requests waited for a free stream (--max-outstanding)${p99 === undefined ? '' : `, p99 ${(p99 / 1e6).toFixed(3)} ms`}; the wait counts in their TTFT`);
  }
  return lines;
}
