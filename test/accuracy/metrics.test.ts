import { describe, expect, it } from 'vitest';
import { computeMetric, cosine } from '../../src/accuracy/metrics.js';
import { emptyOutputRows, type OutputRows, setRow } from '../../src/accuracy/output-rows.js';

function rowsOf(values: readonly (readonly number[] | null)[]): OutputRows {
  const width = values.find((v) => v !== null)?.length ?? 0;
  const rows = emptyOutputRows(values.length, width);
  values.forEach((v, r) => {
    if (v !== null) setRow(rows, r, v);
  });
  return rows;
}

describe('top1', () => {
  it('is the fraction of rows whose argmax is the label; unanswered rows count as wrong', () => {
    const outputs = rowsOf([[0.1, 0.9, 0], [2, 1, 0], null, [0, 0, 5]]);
    const labels = [1, 1, 0, 2];
    expect(computeMetric('top1', outputs, { kind: 'labels', label: (r) => labels[r] ?? null })).toBe(0.5);
  });

  it('takes the first index on ties, as numpy argmax does', () => {
    const outputs = rowsOf([[3, 3, 1]]);
    expect(computeMetric('top1', outputs, { kind: 'labels', label: () => 0 })).toBe(1);
  });
});

describe('agreement', () => {
  it('counts rows whose argmax matches the reference; a row missing on either side disagrees', () => {
    const reference = rowsOf([[1, 0], [0, 1], [1, 0], null, [0, 1]]);
    const outputs = rowsOf([[0.9, 0.1], [0.6, 0.4], null, [1, 0], [0.2, 0.8]]);
    expect(computeMetric('agreement', outputs, { kind: 'reference', reference })).toBe(2 / 5);
  });

  it('rejects a reference of another shape', () => {
    expect(() => computeMetric('agreement', rowsOf([[1, 0]]), { kind: 'reference', reference: rowsOf([[1, 0, 0]]) })).toThrow(/1x3/);
  });
});

describe('cosine', () => {
  it('is exact on simple vectors', () => {
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([1, 2, 2], [2, 4, 4])).toBe(1);
    expect(cosine([1, 0], [-1, 0])).toBe(-1);
    expect(cosine([3, 4], [4, 3])).toBe(24 / 25);
    expect(cosine([0, 0], [0, 0])).toBe(1);
    expect(cosine([0, 0], [1, 0])).toBe(0);
  });

  it('averages over rows, an unanswered row scoring 0', () => {
    const reference = rowsOf([[3, 4], [1, 0], [1, 0]]);
    const outputs = rowsOf([[4, 3], [2, 0], null]);
    expect(computeMetric('cosine', outputs, { kind: 'reference', reference })).toBe((24 / 25 + 1 + 0) / 3);
  });
});
