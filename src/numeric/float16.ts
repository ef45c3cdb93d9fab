/**
 * IEEE 754 binary16 conversion, written out because Node 20 has no Float16Array: for FP16
 * tensors on the wire (KServe v2) and for fp16 model variants. Rounding is to nearest, ties to
 * even, as numpy's astype(float16) and a float32 -> float16 Cast in onnxruntime do.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float -> IEEE 754 half bits, round to nearest even (what numpy's astype(float16) does). */
export function toHalfBits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  // Going through float32 rounds twice: a value that float32 rounds onto a half-way point must
  // still round towards the side it came from, not to even.
  const beyond = Math.abs(value) - Math.abs(f32[0]!);
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (roundsUp(rest, mid, half, beyond) ? half + 1 : half);
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  return sign | (roundsUp(rest, 0x1000, half, beyond) ? half + 1 : half);
}

/** `rest`: the dropped bits, `mid`: half a unit of the kept ones; `beyond`: what float32 rounding dropped. */
function roundsUp(rest: number, mid: number, half: number, beyond: number): boolean {
  if (rest !== mid) return rest > mid;
  return beyond !== 0 ? beyond > 0 : (half & 1) === 1;
}

export function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** A float32 array as binary16 bit patterns. */
export function toHalfArray(values: Float32Array): Uint16Array {
  const bits = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) bits[i] = toHalfBits(values[i]!);
  return bits;
}
