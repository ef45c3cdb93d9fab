/** Greedy decoding: the highest logit of row `row`, skipping `excluded` (-1 for none); ties go to the lower id. */
export function argmaxRow(logits: Float32Array, row: number, vocabularySize: number, excluded: number): number {
  const base = row * vocabularySize;
  let best = -1;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let id = 0; id < vocabularySize; id++) {
    if (id === excluded) continue;
    const value = logits[base + id]!;
    if (value > bestValue || best < 0) {
      best = id;
      bestValue = value;
    }
  }
  return best;
}
