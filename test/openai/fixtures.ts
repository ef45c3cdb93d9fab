import { afterEach } from 'vitest';
import type { LlmPrompt } from '../../src/llm/types.js';
import { RealClock } from '../../src/loadgen/real-clock.js';
import { Recorder } from '../../src/loadgen/recorder.js';
import type { SystemUnderTest } from '../../src/loadgen/types.js';
import type { OpenAiBackend } from '../../src/openai/openai-backend.js';
import type { OpenAiOptions } from '../../src/openai/types.js';
import type { FakeOpenAiServer } from './fake-openai-server.js';

/** Prompt i: a few words, asking for `maxTokens` tokens. */
export function prompt(i: number, maxTokens: number): LlmPrompt {
  const text = `prompt number ${i} says hello`;
  return {
    prompt: text,
    messages: [{ role: 'user', content: text }],
    promptTokens: 5,
    chatTokens: 9,
    maxTokens,
    session: null,
    turn: null,
  };
}

export function prompts(count: number, maxTokens: number): LlmPrompt[] {
  return Array.from({ length: count }, (_, i) => prompt(i, maxTokens));
}

/** Client options for the fake server: its only model, completions, no timeout, one stream. */
export function openAiOptions(url: string, overrides: Partial<OpenAiOptions> = {}): OpenAiOptions {
  return {
    url,
    model: null,
    api: 'completions',
    requestTimeoutMs: 0,
    headers: {},
    maxOutstanding: 1,
    ignoreEos: false,
    ...overrides,
  };
}

/**
 * Issues one query of these dataset indices into a token-counting Recorder on the real clock,
 * as the load generator does (addQuery, markIssued, issueQuery), and resolves once every sample
 * has completed or failed. `issuedNs` is the query's issue time on the recorder's clock.
 */
export async function runQuery(sut: SystemUnderTest, indices: readonly number[]): Promise<{ recorder: Recorder; issuedNs: number }> {
  const clock = new RealClock();
  const recorder = new Recorder(clock, { countTokens: true, keepResponses: true });
  const done = new Promise<void>((resolve) => recorder.onQueryDone(() => resolve()));
  const sampleIndices = Int32Array.from(indices);
  const issuedNs = clock.nowNs();
  const queryId = recorder.addQuery(issuedNs, sampleIndices.length);
  recorder.markIssued(queryId, issuedNs, sampleIndices);
  sut.issueQuery({ queryId, firstSampleId: recorder.firstSampleOf(queryId), count: sampleIndices.length, sampleIndices }, recorder);
  await done;
  return { recorder, issuedNs };
}

/** Gaps between consecutive token chunks of one sample, in ms. */
export function chunkGapsMs(recorder: Recorder, sampleId: number): number[] {
  const chunks = recorder.tokenLog!.chunksOf(sampleId);
  const gaps: number[] = [];
  for (let i = 2; i < chunks.length; i += 2) gaps.push((chunks[i]! - chunks[i - 2]!) / 1e6);
  return gaps;
}

/** Token counts of the chunks of one sample, in arrival order. */
export function chunkCounts(recorder: Recorder, sampleId: number): number[] {
  const chunks = recorder.tokenLog!.chunksOf(sampleId);
  const counts: number[] = [];
  for (let i = 1; i < chunks.length; i += 2) counts.push(chunks[i]!);
  return counts;
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The fake server and the backend a test starts. */
export interface LiveFakes {
  server: FakeOpenAiServer | null;
  backend: OpenAiBackend | null;
}

/** A holder for what each test starts, disposed and closed after every test of the calling file. */
export function closedAfterEachTest(): LiveFakes {
  const live: LiveFakes = { server: null, backend: null };
  afterEach(async () => {
    await live.backend?.dispose();
    await live.server?.close();
    live.backend = null;
    live.server = null;
  });
  return live;
}

