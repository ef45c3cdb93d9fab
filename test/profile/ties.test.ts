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

/** A row of repeated runs: its median and the values its range spans. */
function repeated(precision: string, scenario: 'offline' | 'singlestream', values: number[], median: number): ProfileRow {
  const base = row(precision, scenario, median);
  return { ...base, repetitions: { count: values.length, valid: values.length, values, min: Math.min(...values), max: Math.max(...values), runs: [] } };
}

describe('best rows with repetitions: ranges that do not overlap', () => {
  it('Offline: best when its lowest value beats the other\'s highest, however close the medians', () => {
    // 1.2x apart, well under 2x: single runs would call it a tie; the ranges say otherwise.
    const rows = [repeated('fp32', 'offline', [1000, 1050, 1100], 1050), repeated('fp16', 'offline', [1101, 1250, 1300], 1250)];
    expect(bestRows(rows, ['offline']).offline).toMatchObject({ row: 1, metric: { value: 1250 }, tiedWith: [] });
  });

  it('Offline: ranges that touch or overlap are tied, even with the medians 2x apart', () => {
    const touching = [repeated('fp32', 'offline', [1000, 1050, 1100], 1050), repeated('fp16', 'offline', [1100, 1250, 1300], 1250)];
    expect(bestRows(touching, ['offline']).offline).toMatchObject({ row: 1, tiedWith: [0] });
    const wide = [repeated('fp32', 'offline', [900, 1000, 2100], 1000), repeated('fp16', 'offline', [2050, 2200, 2300], 2200)];
    expect(bestRows(wide, ['offline']).offline).toMatchObject({ row: 1, tiedWith: [0] });
  });

  it('SingleStream (lower is better): best when its highest latency is under the other\'s lowest', () => {
    const clear = [repeated('fp32', 'singlestream', [2.0, 2.1, 2.3], 2.1), repeated('fp16', 'singlestream', [1.7, 1.8, 1.99], 1.8)];
    expect(bestRows(clear, ['singlestream']).singlestream).toMatchObject({ row: 1, tiedWith: [] });
    const overlapping = [repeated('fp32', 'singlestream', [2.0, 2.1, 2.3], 2.1), repeated('fp16', 'singlestream', [1.7, 1.8, 2.0], 1.8)];
    expect(bestRows(overlapping, ['singlestream']).singlestream).toMatchObject({ row: 1, tiedWith: [0] });
  });

  it('every row the best is not clear of is tied, not only the runner-up', () => {
    // int8 has the lowest median but a range reaching past fp16's lowest value.
    const rows = [
      repeated('fp32', 'offline', [1000, 1050, 1100], 1050),
      repeated('fp16', 'offline', [1200, 1250, 1300], 1250),
      repeated('int8', 'offline', [700, 800, 1250], 800),
    ];
    expect(bestRows(rows, ['offline']).offline).toMatchObject({ row: 1, tiedWith: [2] });
  });

  it('a row with a single value has no range: that pair is held to the 2x rule', () => {
    const single = { ...repeated('fp32', 'offline', [1000], 1000) };
    expect(bestRows([single, repeated('fp16', 'offline', [1500, 1600, 1700], 1600)], ['offline']).offline).toMatchObject({ row: 1, tiedWith: [0] });
    expect(bestRows([single, repeated('fp16', 'offline', [1900, 2000, 2100], 2000)], ['offline']).offline).toMatchObject({ row: 1, tiedWith: [] });
  });
});
