import { afterEach } from 'vitest';
import { type LlmServerOptions, type RunningLlmServer, startLlmServer } from '../../../src/llm/serve/start-llm-server.js';
import { FakeEngine, type FakeEngineOptions } from './fake-engine.js';

export interface TestLlmServer {
  readonly server: RunningLlmServer;
  readonly engine: FakeEngine;
  /** The OpenAI base URL, http://127.0.0.1:PORT/v1. */
  readonly url: string;
  readonly logs: string[];
}

const running: RunningLlmServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/** A server named "fake-llm" on 127.0.0.1 port 0 over a FakeEngine, ready; closed after the test. */
export async function startFakeServer(engineOptions: FakeEngineOptions = {}, serverOptions: Partial<LlmServerOptions> = {}): Promise<TestLlmServer> {
  const engine = new FakeEngine(engineOptions);
  const logs: string[] = [];
  const server = await startLlmServer({ name: 'fake-llm', host: '127.0.0.1', port: 0, engine, maxQueue: 0, log: (line) => logs.push(line), ...serverOptions });
  running.push(server);
  await server.ready;
  return { server, engine, url: server.url, logs };
}

export function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** The `data:` payloads of a server-sent event stream, in order ([DONE] as the string). */
export function sseData(text: string): unknown[] {
  const events = text.split('\n\n');
  if (events.at(-1) !== '') throw new Error(`the stream does not end with a blank line: ${JSON.stringify(text.slice(-40))}`);
  return events.slice(0, -1).map((event) => {
    if (!event.startsWith('data: ')) throw new Error(`not a data event: ${JSON.stringify(event)}`);
    const data = event.slice('data: '.length);
    return data === '[DONE]' ? data : JSON.parse(data);
  });
}

/** Reads a streaming response event by event, with each event's arrival time (ms, performance.now). */
export async function readEvents(response: Response): Promise<{ data: unknown; atMs: number }[]> {
  const events: { data: unknown; atMs: number }[] = [];
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(bytes, { stream: true });
    let end = buffered.indexOf('\n\n');
    while (end >= 0) {
      const atMs = performance.now();
      for (const data of sseData(buffered.slice(0, end + 2))) events.push({ data, atMs });
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf('\n\n');
    }
  }
  if (buffered !== '') throw new Error(`the stream ended mid-event: ${JSON.stringify(buffered)}`);
  return events;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 5 ms until it holds (the test's timeout bounds it). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}
