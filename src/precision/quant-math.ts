/**
 * The arithmetic of linear quantization, q = saturate(round(x / scale) + zeroPoint), in the
 * forms ONNX QuantizeLinear and onnxruntime's quantization tools use. Scales are float32
 * values (Math.fround) because that is what the model stores and the runtime divides by.
 */

export const UINT8_MAX = 255;
/** Symmetric int8 uses [-127, 127] so that -x quantizes to -q (as onnxruntime's tools do). */
export const INT8_SYMMETRIC_MAX = 127;
export const INT32_MIN = -2_147_483_648;
export const INT32_MAX = 2_147_483_647;

export interface AffineParams {
  readonly scale: number;
  readonly zeroPoint: number;
}

export interface ValueRange {
  readonly min: number;
  readonly max: number;
}

/** Round to nearest, ties to even: ONNX QuantizeLinear's rounding. */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

export function quantizeValue(value: number, params: AffineParams, low: number, high: number): number {
  return clamp(roundHalfToEven(value / params.scale) + params.zeroPoint, low, high);
}

/**
 * uint8 asymmetric parameters for a calibrated range. The range is widened to include 0 so
 * that 0 (padding, Relu's floor) is exactly representable.
 */
export function uint8AsymmetricParams(range: ValueRange): AffineParams {
  const low = Math.min(range.min, 0);
  const high = Math.max(range.max, 0);
  if (!Number.isFinite(low) || !Number.isFinite(high)) {
    throw new RangeError(`cannot quantize the range [${range.min}, ${range.max}]`);
  }
  const scale = Math.fround((high - low) / UINT8_MAX);
  if (scale === 0) return { scale: 1, zeroPoint: 0 };
  return { scale, zeroPoint: clamp(roundHalfToEven(-low / scale), 0, UINT8_MAX) };
}

/** int8 symmetric scale for values whose largest magnitude is `absMax` (zero point 0). */
export function int8SymmetricScale(absMax: number): number {
  const scale = Math.fround(absMax / INT8_SYMMETRIC_MAX);
  return scale === 0 ? 1 : scale;
}

/**
 * Rounds `value` away from zero to `bits` significant bits. Calibration ranges pass through
 * this so that onnxruntime kernels differing in the last bits of a float on another CPU give
 * the same scales, hence the same model bytes. Widening a range by under 2^-bits changes the
 * quantization step by as little.
 */
export function roundAwayFromZero(value: number, bits: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  let exponent = Math.floor(Math.log2(magnitude));
  // Math.log2 may be off by one near powers of two; powers of two themselves are exact.
  if (2 ** exponent > magnitude) exponent--;
  if (2 ** (exponent + 1) <= magnitude) exponent++;
  const unit = 2 ** (exponent - bits + 1);
  return Math.sign(value) * Math.ceil(magnitude / unit) * unit;
}

export interface PerChannelInt8 {
  readonly values: Int8Array;
  /** One float32 scale per channel along the axis. */
  readonly scales: Float32Array;
}

/** The extent of a tensor's axis and the number of elements after it (C-order strides). */
function axisLayout(dims: readonly number[], axis: number): { readonly channels: number; readonly inner: number } {
  const channels = dims[axis];
  if (channels === undefined) throw new RangeError(`axis ${axis} outside a ${dims.length}-D tensor`);
  const inner = dims.slice(axis + 1).reduce((product, d) => product * d, 1);
  return { channels, inner };
}

/** int8 symmetric quantization with one scale per index of `axis` (per output channel). */
export function quantizeInt8PerChannel(values: Float32Array, dims: readonly number[], axis: number): PerChannelInt8 {
  const { channels, inner } = axisLayout(dims, axis);
  const absMax = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const channel = Math.floor(i / inner) % channels;
    absMax[channel] = Math.max(absMax[channel]!, Math.abs(values[i]!));
  }
  const scales = Float32Array.from(absMax, int8SymmetricScale);
  const quantized = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const scale = scales[Math.floor(i / inner) % channels]!;
    quantized[i] = quantizeValue(values[i]!, { scale, zeroPoint: 0 }, -INT8_SYMMETRIC_MAX, INT8_SYMMETRIC_MAX);
  }
  return { values: quantized, scales };
}

/** int8 symmetric quantization with one scale for the whole tensor. */
export function quantizeInt8PerTensor(values: Float32Array): { readonly values: Int8Array; readonly scale: number } {
  const result = quantizeInt8PerChannel(values, [1, values.length], 0);
  return { values: result.values, scale: result.scales[0]! };
}

/**
 * A bias as int32 with scale inputScale * weightScale[c] and zero point 0: the form
 * onnxruntime's QLinearConv/QGemm fusions fold straight into the int32 accumulator.
 */
export function quantizeBiasInt32(
  bias: Float32Array,
  inputScale: number,
  weightScales: Float32Array,
): { readonly values: Int32Array; readonly scales: Float32Array } {
  const scales = new Float32Array(bias.length);
  const values = new Int32Array(bias.length);
  for (let c = 0; c < bias.length; c++) {
    const weightScale = weightScales.length === 1 ? weightScales[0]! : weightScales[c]!;
    const scale = Math.fround(inputScale * weightScale);
    scales[c] = scale;
    values[c] = quantizeValue(bias[c]!, { scale, zeroPoint: 0 }, INT32_MIN, INT32_MAX);
  }
  return { values, scales };
}
