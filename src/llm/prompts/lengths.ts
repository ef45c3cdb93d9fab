import { UserError } from '../../cli/errors.js';
import { type Mt19937, uniformInt } from '../../loadgen/rng.js';
import type { LengthDistribution } from './types.js';

const ACCEPTED_FORMS = 'a token count like 128, or an inclusive range like 16:256 (positive integers, min <= max)';

/** `--input-tokens 128` (fixed) or `--input-tokens 16:256` (uniform, inclusive). */
export function parseLengthFlag(value: string, flag: string): LengthDistribution {
  const fail = (): never => {
    throw new UserError('flag', `${flag} ${JSON.stringify(value)}: expected ${ACCEPTED_FORMS}`);
  };
  const fixed = /^\s*(\d+)\s*$/.exec(value);
  if (fixed) return { kind: 'fixed', tokens: positiveInteger(fixed[1]!) ?? fail() };
  const range = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(value);
  if (!range) return fail();
  const min = positiveInteger(range[1]!) ?? fail();
  const max = positiveInteger(range[2]!) ?? fail();
  if (min > max) fail();
  return { kind: 'uniform', min, max };
}

function positiveInteger(digits: string): number | null {
  const n = Number(digits);
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

/** One length from the distribution; a fixed length draws nothing, so it leaves the stream alone. */
export function drawLength(distribution: LengthDistribution, rng: Mt19937): number {
  return distribution.kind === 'fixed' ? distribution.tokens : uniformInt(rng, distribution.min, distribution.max);
}

export function minLength(distribution: LengthDistribution): number {
  return distribution.kind === 'fixed' ? distribution.tokens : distribution.min;
}

export function maxLength(distribution: LengthDistribution): number {
  return distribution.kind === 'fixed' ? distribution.tokens : distribution.max;
}

/** "64" or "16-96", for summaries. */
export function describeLength(distribution: LengthDistribution): string {
  return distribution.kind === 'fixed' ? `${distribution.tokens}` : `${distribution.min}-${distribution.max}`;
}
