/**
 * The first model output of every dataset sample, one row each, in dataset order: what an
 * accuracy run keeps so that metrics (and later runs, as a reference) can score it.
 */
export interface OutputRows {
  readonly rows: number;
  readonly width: number;
  /** rows × width values; a row whose sample failed holds NaN. */
  readonly data: Float32Array;
  /** 1 where the sample was answered. */
  readonly present: Uint8Array;
}

export function emptyOutputRows(rows: number, width: number): OutputRows {
  const data = new Float32Array(rows * width).fill(Number.NaN);
  return { rows, width, data, present: new Uint8Array(rows) };
}

export function setRow(target: OutputRows, row: number, values: ArrayLike<number>): void {
  target.data.set(values, row * target.width);
  target.present[row] = 1;
}

export function rowView(rows: OutputRows, row: number): Float32Array {
  return rows.data.subarray(row * rows.width, (row + 1) * rows.width);
}

/** Index of the largest value; the first on ties, as numpy's argmax. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}
