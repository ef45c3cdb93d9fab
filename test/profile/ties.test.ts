import { describe, expect, it } from 'vitest';
import { bestRows, NOISE_RATIO } from '../../src/profile/rank.js';
import type { ProfileRow } from '../../src/profile/types.js';

/** Only the fields ranking reads; the rest of a row does not take part. */
function row(precision: string, scenario: 'offline' | 'singlestream', value: number, qualifying = true): ProfileRow {
  return {
    backend: 'ort',
    variant: 'cpu',
    precision,
    scenario,
    status: 'ok',
    valid: qualifying,
    metric: { name: 'm', value, unit: scenario === 'offline' ? 'samples/s' : 'ms' },
    accuracy: { pass99: true },
  } as unknown as ProfileRow;
}

describe('best rows and ties within run-to-run noise', () => {
  it('names a winner only when it leads the next qualifying row by at least the noise ratio', () => {
    expect(NOISE_RATIO).toBe(2);
    const clear = bestRows([row('fp32', 'offline', 1000), row('fp16', 'offline', 2000)], ['offline']);
    expect(clear.offline).toMatchObject({ row: 1, tiedWith: [] });
    const tied = bestRows([row('fp32', 'offline', 1000), row('fp16', 'offline', 1999), row('int8', 'offline', 900)], ['offline']);
    expect(tied.offline).toMatchObject({ row: 1, tiedWith: [0] });
  });

  it('for latencies, lower is better and the ratio is taken the other way', () => {
    const clear = bestRows([row('fp32', 'singlestream', 4), row('fp16', 'singlestream', 2)], ['singlestream']);
    expect(clear.singlestream).toMatchObject({ row: 1, tiedWith: [] });
    const tied = bestRows([row('fp32', 'singlestream', 3.99), row('fp16', 'singlestream', 2)], ['singlestream']);
    expect(tied.singlestream).toMatchObject({ row: 1, tiedWith: [0] });
  });

  it('rows that do not qualify (INVALID) are neither best nor tied', () => {
    const best = bestRows([row('fp32', 'offline', 1000), row('fp16', 'offline', 1100, false)], ['offline']);
    expect(best.offline).toMatchObject({ row: 0, tiedWith: [] });
  });
});
