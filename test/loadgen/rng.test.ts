import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  canonicalDouble,
  exponential,
  Mt19937,
  shuffleInPlace,
  uniformInt,
} from '../../src/loadgen/rng.js';

// Produced by test/fixtures/rng-reference.cpp compiled with g++ 12 (libstdc++); see its header.
interface Reference {
  compiler: string;
  seeds: SeedReference[];
}
interface SeedReference {
  seed: string;
  u32: number[];
  u32Draw10000: number;
  canonical: number[];
  exponential: { lambda: number; values: number[]; ns: number[]; nextSumNs100000: number }[];
  uniformInt: { lo: number; hi: number; values: number[]; nextHash10000: number }[];
  shuffle: (
    | { n: number; permutation: number[]; nextU32: number }
    | { n: number; head: number[]; hash: number; nextU32: number }
  )[];
  mixed: { permutation: number[]; picks: number[]; gaps: number[] };
}

const reference = JSON.parse(
  readFileSync(new URL('../fixtures/rng-reference.json', import.meta.url), 'utf8'),
) as Reference;

/** LoadGen's duration_cast<nanoseconds>(duration<double>(seconds)): truncation of seconds * 1e9. */
function secondsToNs(seconds: number): number {
  return Math.trunc(seconds * 1e9);
}

function hashStep(hash: number, value: number): number {
  return (Math.imul(hash, 31) + value) >>> 0;
}

/** Distance in units in the last place between two finite doubles of the same sign. */
function ulpDistance(a: number, b: number): number {
  const bits = new BigInt64Array(new Float64Array([a, b]).buffer);
  const d = bits[0]! - bits[1]!;
  return Number(d < 0n ? -d : d);
}

function draws<T>(count: number, draw: () => T): T[] {
  return Array.from({ length: count }, draw);
}

function iota(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => i);
}

describe('rng against libstdc++ (g++ 12)', () => {
  it('has a fixture covering LoadGen seeds', () => {
    expect(reference.compiler).toMatch(/^g\+\+ 12\./);
    expect(reference.seeds.map((s) => s.seed)).toContain('16159082839903944936');
  });

  describe.each(reference.seeds)('seed $seed', (ref) => {
    it('mt19937 raw output', () => {
      const rng = new Mt19937(ref.seed);
      expect(draws(ref.u32.length, () => rng.nextU32())).toEqual(ref.u32);
      for (let i = ref.u32.length + 1; i < 10000; i++) rng.nextU32();
      expect(rng.nextU32()).toBe(ref.u32Draw10000);
    });

    it('generate_canonical<double, 53>', () => {
      const rng = new Mt19937(ref.seed);
      expect(draws(ref.canonical.length, () => canonicalDouble(rng))).toEqual(ref.canonical);
    });

    // V8's Math.log (fdlibm) and glibc's log round differently in the last bit for about 7% of
    // arguments (glibc itself is not correctly rounded), so the doubles may differ by 1 ulp of the
    // log, at most 2 ulp after dividing by lambda. The integer ns gaps LoadGen schedules with
    // must, and do, match exactly.
    it('exponential_distribution: values within 2 ulp, LoadGen ns gaps exactly', () => {
      for (const e of ref.exponential) {
        const rng = new Mt19937(ref.seed);
        const values = draws(e.values.length, () => exponential(rng, e.lambda));
        for (const [i, v] of values.entries()) {
          expect(ulpDistance(v, e.values[i]!)).toBeLessThanOrEqual(2);
        }
        expect(values.map(secondsToNs)).toEqual(e.ns);
        let totalNs = 0;
        for (let i = 0; i < 100000; i++) totalNs += secondsToNs(exponential(rng, e.lambda));
        expect(totalNs).toBe(e.nextSumNs100000);
      }
    });

    it('uniform_int_distribution (Lemire path, rejection, full range)', () => {
      for (const u of ref.uniformInt) {
        const rng = new Mt19937(ref.seed);
        expect(draws(u.values.length, () => uniformInt(rng, u.lo, u.hi))).toEqual(u.values);
        let hash = 0;
        for (let i = 0; i < 10000; i++) hash = hashStep(hash, uniformInt(rng, u.lo, u.hi));
        expect(hash).toBe(u.nextHash10000);
      }
    });

    it('std::shuffle (two positions per draw below 65536, one above)', () => {
      for (const s of ref.shuffle) {
        const rng = new Mt19937(ref.seed);
        const values = iota(s.n);
        shuffleInPlace(rng, values);
        if ('permutation' in s) {
          expect(Array.from(values)).toEqual(s.permutation);
        } else {
          expect(Array.from(values.subarray(0, s.head.length))).toEqual(s.head);
          expect(values.reduce(hashStep, 0)).toBe(s.hash);
        }
        // Same number of engine draws consumed as libstdc++.
        expect(rng.nextU32()).toBe(s.nextU32);
      }
    });

    it('one engine shared by shuffle, uniform_int and exponential', () => {
      const rng = new Mt19937(ref.seed);
      const permutation = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
      shuffleInPlace(rng, permutation);
      const picks: number[] = [];
      const gaps: number[] = [];
      for (let i = 0; i < 8; i++) {
        picks.push(uniformInt(rng, 0, 9));
        gaps.push(exponential(rng, 250));
      }
      expect({ permutation, picks }).toEqual({
        permutation: ref.mixed.permutation,
        picks: ref.mixed.picks,
      });
      for (const [i, g] of gaps.entries()) {
        expect(ulpDistance(g, ref.mixed.gaps[i]!)).toBeLessThanOrEqual(2);
      }
    });
  });
});

describe('Mt19937 seeds', () => {
  it('keeps only seed mod 2^32, whatever the seed type', () => {
    const a = new Mt19937('4294967338'); // 2^32 + 42
    const b = new Mt19937(42);
    const c = new Mt19937(42n + 2n ** 64n);
    const first = draws(5, () => a.nextU32());
    expect(draws(5, () => b.nextU32())).toEqual(first);
    expect(draws(5, () => c.nextU32())).toEqual(first);
  });

  it('rejects seeds that are not plain non-negative integers', () => {
    expect(() => new Mt19937('0x10')).toThrow(RangeError);
    expect(() => new Mt19937('-1')).toThrow(RangeError);
    expect(() => new Mt19937(2 ** 60)).toThrow(RangeError);
    expect(() => new Mt19937(1.5)).toThrow(RangeError);
  });
});

describe('uniformInt bounds', () => {
  it('rejects empty and too-wide ranges', () => {
    const rng = new Mt19937(1);
    expect(() => uniformInt(rng, 5, 4)).toThrow(RangeError);
    expect(() => uniformInt(rng, 0, 2 ** 32)).toThrow(RangeError);
  });

  it('handles a non-zero lower bound with the full span', () => {
    const a = new Mt19937(7);
    const b = new Mt19937(7);
    expect(uniformInt(a, -10, 2 ** 32 - 11)).toBe(b.nextU32() - 10);
  });
});
