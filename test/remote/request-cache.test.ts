import { describe, expect, it } from 'vitest';
import type { SampleFeeds } from '../../src/backends/types.js';
import { SingleSampleRequests } from '../../src/remote/request-cache.js';

function sample(value: number): SampleFeeds {
  return { input: { data: new Float32Array([value]), dims: [1] } };
}

describe('SingleSampleRequests', () => {
  it('encodes a single sample once and returns the same request after', () => {
    const cache = new SingleSampleRequests<{ bytes: number }>((r) => r.bytes);
    const a = sample(1);
    let builds = 0;
    const build = () => ({ bytes: 10, n: ++builds });
    const first = cache.get([a], build);
    expect(cache.get([a], build)).toBe(first);
    expect(cache.get([sample(1)], build)).not.toBe(first);
    expect(builds).toBe(2);
  });

  it('encodes batches of several samples every time', () => {
    const cache = new SingleSampleRequests<{ bytes: number }>((r) => r.bytes);
    const batch = [sample(1), sample(2)];
    let builds = 0;
    const build = () => ({ bytes: 10, n: ++builds });
    expect(cache.get(batch, build)).not.toBe(cache.get(batch, build));
    expect(builds).toBe(2);
  });

  it('keeps no more than its byte budget: a request past it is built on every send', () => {
    const cache = new SingleSampleRequests<{ bytes: number }>((r) => r.bytes, 25);
    const [a, b, c] = [sample(1), sample(2), sample(3)];
    let builds = 0;
    const build = () => ({ bytes: 10, n: ++builds });
    for (const s of [a, b, c, a, b, c]) cache.get([s], build);
    // a and b fit (20 of 25 bytes) and are built once; c would make 30 and is built both times.
    expect(builds).toBe(4);
  });
});
