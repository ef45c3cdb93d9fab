import type { SampleFeeds, TensorData } from '../../src/backends/types.js';
import type { RemoteOptions } from '../../src/remote/types.js';
import { FAKE_INPUT, FAKE_ROW } from '../helpers/v2-test-server.js';

/** Options for a client of the test server: one connection, no timeout, no retries, unless said. */
export function remoteOptions(url: string, overrides: Partial<RemoteOptions> = {}): RemoteOptions {
  return {
    url,
    model: 'fake',
    modelVersion: '',
    binary: false,
    connections: 1,
    requestTimeoutMs: 0,
    retries: 0,
    headers: {},
    ...overrides,
  };
}

/** Sample i of the fake model: [i, i+0.5, -i, 2i], so the answer is [3i + 0.5, max(2i, i + 0.5)]. */
export function sample(i: number): SampleFeeds {
  return { [FAKE_INPUT]: { data: new Float32Array([i, i + 0.5, -i, 2 * i]), dims: [FAKE_ROW] } };
}

export function samples(count: number, first = 0): SampleFeeds[] {
  return Array.from({ length: count }, (_, k) => sample(first + k));
}

/** The batch's input as the server sees it: rows stacked. */
export function stacked(batch: readonly SampleFeeds[]): Float32Array {
  const out = new Float32Array(batch.length * FAKE_ROW);
  for (const [r, s] of batch.entries()) out.set(s[FAKE_INPUT]!.data as Float32Array, r * FAKE_ROW);
  return out;
}

/** The rejection of a promise expected to fail (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** A tensor's values as plain numbers (the fake model is FP32). */
export function values(data: TensorData): number[] {
  return Array.from(data as ArrayLike<number>);
}
