import { hostPort } from '../../serve/serve-lines.js';
import type { EngineWork } from './engine-work.js';
import type { LlmServerCounters } from './llm-server-counters.js';

/**
 * The one line `mlbench serve --llm` prints on stdout once the engine is warmed up:
 *   mlbench serve: ready: model tiny-llm, openai http://127.0.0.1:8000/v1
 * The URL is what `--backend openai --url` takes.
 */
export function formatLlmReadyLine(model: string, baseUrl: string): string {
  return `mlbench serve: ready: model ${model}, openai ${baseUrl}`;
}

const LLM_READY_LINE = /^mlbench serve: ready: model (\S+), openai (\S+)$/;

/** The ready line read back (tests, benches, scripts): null when `line` is not one. */
export function parseLlmReadyLine(line: string): { model: string; url: string } | null {
  const match = LLM_READY_LINE.exec(line.trim());
  return match === null ? null : { model: match[1]!, url: match[2]! };
}

/** http://host:port/v1, the base URL OpenAI clients take. */
export function openAiBaseUrl(host: string, port: number): string {
  return `http://${hostPort(host, port)}/v1`;
}

/** The stderr line printed on shutdown: what was answered, and what the engine did for it. */
export function formatLlmShutdownSummary(counters: LlmServerCounters, work: EngineWork | null): string {
  const c = counters;
  const requests =
    `mlbench serve: stopped: ${count(c.completed, 'request')} completed, ${c.cancelled} cancelled (client gone), ${c.failed} failed, ` +
    `${c.refused} refused (queue full), ${c.rejected} rejected (4xx); ${count(c.completionTokens, 'token')} generated`;
  if (work === null) return `${requests}; the engine never loaded`;
  return (
    `${requests}; engine (${work.scheduler}): ${count(work.prefillSteps, 'prefill')}, ${count(work.decodeSteps, 'decode step')}, ` +
    `mean decode batch ${work.meanDecodeBatch.toFixed(2)}`
  );
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
