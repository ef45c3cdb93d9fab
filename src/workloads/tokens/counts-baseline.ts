/**
 * How far token counts alone get on the dataset: the exact accuracy of the
 * best count-only guess, reported next to the model's accuracy to show what
 * attention adds.
 *
 * Given the group counts, the chance that group g is the label is
 * proportional to its count (the label adds one token to its group and all
 * other positions are independent and identically drawn), so the best guess
 * is the most frequent group, ties split evenly.
 */

import {
  TOKENS_CLASSES,
  TOKENS_FIRST_CONTENT_ID,
  TOKENS_IDS_PER_GROUP,
  TOKENS_MARKER_ID,
  TOKENS_SEQUENCE_LENGTH,
  TOKENS_VOCABULARY_SIZE,
} from './dataset.js';

/** Probability that the most frequent group (ties split evenly) is the label, summed over every count vector. */
export function countsOnlyAccuracy(): number {
  const groups = TOKENS_CLASSES.length;
  // Positions other than the marker and its follower draw uniformly from the non-marker ids.
  const freePositions = TOKENS_SEQUENCE_LENGTH - 2;
  const drawable = TOKENS_VOCABULARY_SIZE - 1;
  const groupProbability = TOKENS_IDS_PER_GROUP / drawable;
  const fillerProbability = (TOKENS_FIRST_CONTENT_ID - TOKENS_MARKER_ID - 1) / drawable;

  const factorial = (n: number): number => {
    let product = 1;
    for (let k = 2; k <= n; k++) product *= k;
    return product;
  };
  const power = (base: number, exponent: number): number => {
    let product = 1;
    for (let k = 0; k < exponent; k++) product *= base;
    return product;
  };

  // Group 0 is the label without loss of generality (the draw is symmetric in the groups).
  const counts = new Array<number>(groups).fill(0);
  let accuracy = 0;
  const visit = (group: number, remaining: number): void => {
    if (group === groups) {
      const fillers = remaining;
      let probability = (factorial(freePositions) / factorial(fillers)) * power(fillerProbability, fillers);
      for (const count of counts) probability *= power(groupProbability, count) / factorial(count);
      const withLabel = counts.map((count, g) => count + (g === 0 ? 1 : 0));
      const most = Math.max(...withLabel);
      const tied = withLabel.filter((count) => count === most).length;
      if (withLabel[0] === most) accuracy += probability / tied;
      return;
    }
    for (let count = 0; count <= remaining; count++) {
      counts[group] = count;
      visit(group + 1, remaining - count);
    }
    counts[group] = 0;
  };
  visit(0, freePositions);
  return accuracy;
}
