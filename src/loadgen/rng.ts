/**
 * std::mt19937 and the libstdc++ (GCC 12) algorithms LoadGen draws its schedules, sample picks and
 * loadable sets with. The C++ standard pins only the engine's raw output; the distributions and
 * std::shuffle are implementation-defined, so traces match LoadGen's (built with GCC on Linux)
 * only if they are computed exactly as libstdc++ computes them. Checked bit for bit against g++ 12
 * output in test/fixtures/rng-reference.json.
 */

const STATE_SIZE = 624;
const SHIFT_SIZE = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const TWO_POW_32 = 4294967296;
const TWO_POW_64 = 2 ** 64;
/** libstdc++'s generate_canonical returns nextafter(1, 0) when rounding reaches 1. */
const LARGEST_BELOW_ONE = 1 - 2 ** -53;

/** std::mt19937 (32-bit Mersenne Twister). */
export class Mt19937 {
  readonly #state = new Uint32Array(STATE_SIZE);
  #index = STATE_SIZE;

  /**
   * `seed` is a non-negative integer, as a decimal string or bigint when it may exceed 2^53
   * (LoadGen's seeds do). Like std::mt19937, only seed mod 2^32 is used.
   */
  constructor(seed: string | bigint | number) {
    const mt = this.#state;
    mt[0] = seedModulo2Pow32(seed);
    for (let i = 1; i < STATE_SIZE; i++) {
      const prev = mt[i - 1]!;
      // Uint32Array stores the sum mod 2^32, as the C++ unsigned arithmetic does.
      mt[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
    }
  }

  /** The next raw 32-bit output, in [0, 2^32). */
  nextU32(): number {
    if (this.#index >= STATE_SIZE) this.#twist();
    let y = this.#state[this.#index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  #twist(): void {
    const mt = this.#state;
    let k = 0;
    for (; k < STATE_SIZE - SHIFT_SIZE; k++) {
      const y = (mt[k]! & UPPER_MASK) | (mt[k + 1]! & LOWER_MASK);
      mt[k] = mt[k + SHIFT_SIZE]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; k < STATE_SIZE - 1; k++) {
      const y = (mt[k]! & UPPER_MASK) | (mt[k + 1]! & LOWER_MASK);
      mt[k] = mt[k + SHIFT_SIZE - STATE_SIZE]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (mt[STATE_SIZE - 1]! & UPPER_MASK) | (mt[0]! & LOWER_MASK);
    mt[STATE_SIZE - 1] = mt[SHIFT_SIZE - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.#index = 0;
  }
}

function seedModulo2Pow32(seed: string | bigint | number): number {
  let big: bigint;
  if (typeof seed === 'bigint') {
    big = seed;
  } else if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`seed ${seed} is not a safe integer: pass it as a decimal string`);
    }
    big = BigInt(seed);
  } else {
    // BigInt() would also accept hex, octal and blanks; a seed is plain decimal.
    if (!/^\d+$/.test(seed)) throw new RangeError(`seed "${seed}" is not a decimal integer`);
    big = BigInt(seed);
  }
  if (big < 0n) throw new RangeError(`seed ${big} is negative`);
  return Number(BigInt.asUintN(32, big));
}

/**
 * std::generate_canonical<double, 53>: two draws, (g1 + g2 * 2^32) / 2^64, with libstdc++'s
 * guard against the sum rounding up to 1.
 */
export function canonicalDouble(rng: Mt19937): number {
  const low = rng.nextU32();
  const high = rng.nextU32();
  const u = (low + high * TWO_POW_32) / TWO_POW_64;
  return u < 1 ? u : LARGEST_BELOW_ONE;
}

/** std::exponential_distribution<double>(lambda): -log(1 - u) / lambda. */
export function exponential(rng: Mt19937, lambda: number): number {
  return -Math.log(1 - canonicalDouble(rng)) / lambda;
}

/**
 * std::uniform_int_distribution over [lo, hi] (inclusive), as libstdc++ computes it for a 32-bit
 * engine: Lemire's nearly divisionless method on the 64-bit product draw * (hi - lo + 1), and
 * the raw draw when the span is the engine's whole range. Spans above 2^32 - 1 (libstdc++'s
 * "upscaling" path) are not supported.
 */
export function uniformInt(rng: Mt19937, lo: number, hi: number): number {
  const span = hi - lo;
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || !Number.isSafeInteger(lo + span)) {
    throw new RangeError(`uniformInt bounds must be safe integers, got [${lo}, ${hi}]`);
  }
  if (span < 0 || span > 0xffffffff) {
    throw new RangeError(`uniformInt span must be in [0, 2^32 - 1], got [${lo}, ${hi}]`);
  }
  if (span === 0xffffffff) return lo + rng.nextU32();
  return lo + lemireBelow(rng, span + 1);
}

/** libstdc++'s __uniform_int_distribution::_S_nd with a 64-bit product: uniform in [0, range). */
function lemireBelow(rng: Mt19937, range: number): number {
  let draw = rng.nextU32();
  // The low 32 bits of the 64-bit product; Math.imul keeps exactly those.
  let low = Math.imul(draw, range) >>> 0;
  if (low < range) {
    const threshold = (TWO_POW_32 - range) % range;
    while (low < threshold) {
      draw = rng.nextU32();
      low = Math.imul(draw, range) >>> 0;
    }
  }
  return productHigh32(draw, range);
}

/** floor(a * b / 2^32) for a, b < 2^32, exactly (the product itself may exceed 2^53). */
function productHigh32(a: number, b: number): number {
  const upper = (a >>> 16) * b; // < 2^48, exact
  const lower = (a & 0xffff) * b; // < 2^48, exact
  // a * b = upper * 2^16 + lower = upperHigh * 2^32 + (upperLow * 2^16 + lower)
  const upperHigh = Math.floor(upper / 65536);
  const upperLow = upper - upperHigh * 65536;
  return upperHigh + Math.floor((upperLow * 65536 + lower) / TWO_POW_32);
}

/** An indexable, writable sequence: plain arrays and typed arrays both fit. */
export interface MutableArrayLike<T> {
  readonly length: number;
  [index: number]: T;
}

/**
 * std::shuffle as libstdc++ implements it. When n * n fits in the engine's range (n <= 65535) it
 * draws two swap positions per engine draw (__gen_two_uniform_ints), after one leading swap when
 * n is even; otherwise it is the textbook Fisher-Yates from the front with one draw per position.
 */
export function shuffleInPlace<T>(rng: Mt19937, array: MutableArrayLike<T>): void {
  const n = array.length;
  if (n === 0) return;
  if (Math.floor(0xffffffff / n) >= n) {
    let i = 1;
    if (n % 2 === 0) {
      swap(array, i, uniformInt(rng, 0, 1));
      i++;
    }
    while (i !== n) {
      const range0 = i + 1;
      const range1 = range0 + 1;
      const both = uniformInt(rng, 0, range0 * range1 - 1);
      swap(array, i, Math.floor(both / range1));
      i++;
      swap(array, i, both % range1);
      i++;
    }
    return;
  }
  for (let i = 1; i < n; i++) swap(array, i, uniformInt(rng, 0, i));
}

function swap<T>(array: MutableArrayLike<T>, i: number, j: number): void {
  const held = array[i]!;
  array[i] = array[j]!;
  array[j] = held;
}
