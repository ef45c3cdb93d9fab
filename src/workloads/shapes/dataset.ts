/**
 * Procedural "shapes" image dataset: 10 classes of shapes and textures drawn
 * at 32x32 RGB with random position, size, rotation, colours, background
 * ramp and pixel noise.
 *
 * Every sample is a pure function of (seed, split, index): a benchmark can
 * load any subset without generating the rest, and nothing depends on
 * Math.random, the clock or platform-specific maths (only +, -, *, /, sqrt
 * and floor, which IEEE 754 makes exact and portable).
 *
 * Pixels: float32, CHW (RGB planes), each value in [0, 1] (clamped); no mean
 * or standard-deviation standardization is applied.
 */

export const SHAPES_CLASSES = [
  'circle',
  'square',
  'triangle',
  'cross',
  'ring',
  'horizontal_stripes',
  'vertical_stripes',
  'diagonal_stripes',
  'checkerboard',
  'dot_grid',
] as const;

export type ShapesClass = (typeof SHAPES_CLASSES)[number];

/** CHW: 3 colour planes of 32x32. */
export const SHAPES_IMAGE_SHAPE = [3, 32, 32] as const;

export const SHAPES_NORMALIZATION =
  'float32 RGB, CHW layout, values in [0, 1] (clamped), no mean/std standardization';

export type ShapesSplit = 'train' | 'eval';

export interface ShapesSample {
  /** 3*32*32 values, CHW, each in [0, 1]. */
  pixels: Float32Array;
  /** Index into SHAPES_CLASSES. */
  label: number;
}

const [CHANNELS, HEIGHT, WIDTH] = SHAPES_IMAGE_SHAPE;
const CLASS_COUNT = SHAPES_CLASSES.length;

/** Distinct stream tags keep the train and eval splits disjoint. */
const SPLIT_STREAM: Record<ShapesSplit, number> = {
  train: 0x7472_6169,
  eval: 0x6576_616c,
};
const LABEL_STREAM = 0x6c61_6265;

/** murmur3's 32-bit finalizer: a cheap, well-mixing integer hash. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a list of 32-bit integers into one 32-bit seed (order matters). */
export function hashSeed(...values: number[]): number {
  let h = 0x9e37_79b9;
  for (const value of values) {
    h = fmix32(h ^ fmix32(value >>> 0));
    h = (h + 0x6d2b_79f5) >>> 0;
  }
  return fmix32(h);
}

/** mulberry32: a small seeded PRNG returning uniform doubles in [0, 1). */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b_79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function uniform(rng: () => number, low: number, high: number): number {
  return low + (high - low) * rng();
}

function assertSampleAddress(seed: number, index: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new RangeError(`shapes seed must be a uint32, got ${seed}`);
  }
  if (!Number.isInteger(index) || index < 0 || index > 0xffff_ffff) {
    throw new RangeError(`shapes sample index must be a uint32, got ${index}`);
  }
}

/**
 * Label of a sample. Each block of 10 consecutive indices holds a seeded
 * permutation of the 10 classes, so any prefix of a split is balanced to
 * within one sample per class while the order still looks random.
 */
export function shapesLabel(seed: number, split: ShapesSplit, index: number): number {
  assertSampleAddress(seed, index);
  const block = Math.floor(index / CLASS_COUNT);
  const rng = createRng(hashSeed(seed, SPLIT_STREAM[split], LABEL_STREAM, block));
  const order = Array.from({ length: CLASS_COUNT }, (_, i) => i);
  for (let i = CLASS_COUNT - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order[index % CLASS_COUNT]!;
}

export function makeShapesSample(seed: number, split: ShapesSplit, index: number): ShapesSample {
  const label = shapesLabel(seed, split, index);
  const rng = createRng(hashSeed(seed, SPLIT_STREAM[split], index));
  return { pixels: renderSample(rng, label), label };
}

/** Returns coverage in {0,1} of the foreground at sub-pixel point (x, y). */
type Mask = (x: number, y: number) => boolean;

function luma(rgb: readonly number[]): number {
  return 0.299 * rgb[0]! + 0.587 * rgb[1]! + 0.114 * rgb[2]!;
}

function pickColours(rng: () => number): { background: number[]; foreground: number[] } {
  const background = [rng(), rng(), rng()];
  // Enough luminance contrast that the shape is always visible through the noise.
  for (let attempt = 0; attempt < 64; attempt++) {
    const foreground = [rng(), rng(), rng()];
    if (Math.abs(luma(foreground) - luma(background)) >= 0.3) return { background, foreground };
  }
  const foreground = luma(background) > 0.5 ? [0.05, 0.05, 0.05] : [0.95, 0.95, 0.95];
  return { background, foreground };
}

function renderSample(rng: () => number, label: number): Float32Array {
  const { background, foreground } = pickColours(rng);
  const mask = makeMask(rng, label);
  const rampX = uniform(rng, -0.15, 0.15);
  const rampY = uniform(rng, -0.15, 0.15);
  const noiseSigma = uniform(rng, 0.02, 0.08);
  // Sum of 4 uniforms has variance 1/3: scale by sqrt(3) for unit variance.
  const noiseScale = noiseSigma * Math.sqrt(3);

  const plane = HEIGHT * WIDTH;
  const pixels = new Float32Array(CHANNELS * plane);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      // 2x2 supersampling gives anti-aliased edges, so small shapes keep their outline.
      let hits = 0;
      if (mask(x + 0.25, y + 0.25)) hits++;
      if (mask(x + 0.75, y + 0.25)) hits++;
      if (mask(x + 0.25, y + 0.75)) hits++;
      if (mask(x + 0.75, y + 0.75)) hits++;
      const coverage = hits / 4;
      const ramp = rampX * (x / (WIDTH - 1) - 0.5) + rampY * (y / (HEIGHT - 1) - 0.5);
      for (let c = 0; c < CHANNELS; c++) {
        const noise = (rng() + rng() + rng() + rng() - 2) * noiseScale;
        const base = background[c]! + (foreground[c]! - background[c]!) * coverage;
        const value = base + ramp + noise;
        pixels[c * plane + y * WIDTH + x] = Math.min(Math.max(value, 0), 1);
      }
    }
  }
  return pixels;
}

/** Fractional part in [0, 1), also for negative inputs. */
function fract(value: number): number {
  return value - Math.floor(value);
}

function makeMask(rng: () => number, label: number): Mask {
  const name = SHAPES_CLASSES[label];
  switch (name) {
    case 'circle':
    case 'square':
    case 'triangle':
    case 'cross':
    case 'ring':
      return makeShapeMask(rng, name);
    case 'horizontal_stripes': {
      const period = uniform(rng, 4, 9);
      const phase = uniform(rng, 0, period);
      return (_x, y) => fract((y + phase) / period) < 0.5;
    }
    case 'vertical_stripes': {
      const period = uniform(rng, 4, 9);
      const phase = uniform(rng, 0, period);
      return (x) => fract((x + phase) / period) < 0.5;
    }
    case 'diagonal_stripes': {
      // Period measured across the stripes; (x +/- y) / sqrt(2) is the distance along the normal.
      const period = uniform(rng, 4, 9) * Math.SQRT2;
      const phase = uniform(rng, 0, period);
      const direction = rng() < 0.5 ? 1 : -1;
      return (x, y) => fract((x + direction * y + phase) / period) < 0.5;
    }
    case 'checkerboard': {
      const cell = uniform(rng, 3, 7);
      const phaseX = uniform(rng, 0, cell);
      const phaseY = uniform(rng, 0, cell);
      return (x, y) =>
        ((Math.floor((x + phaseX) / cell) + Math.floor((y + phaseY) / cell)) & 1) === 1;
    }
    case 'dot_grid': {
      const spacing = uniform(rng, 5, 9);
      const radius = spacing * uniform(rng, 0.22, 0.32);
      const phaseX = uniform(rng, 0, spacing);
      const phaseY = uniform(rng, 0, spacing);
      return (x, y) => {
        const dx = (fract((x + phaseX) / spacing) - 0.5) * spacing;
        const dy = (fract((y + phaseY) / spacing) - 0.5) * spacing;
        return dx * dx + dy * dy <= radius * radius;
      };
    }
    default:
      throw new RangeError(`no shapes class with label ${label}`);
  }
}

type ShapeName = 'circle' | 'square' | 'triangle' | 'cross' | 'ring';

/** Rough half-extent of each shape relative to its size parameter, to keep it inside the frame. */
const SHAPE_EXTENT: Record<ShapeName, number> = {
  circle: 1,
  square: 1.15,
  triangle: 1.2,
  cross: 1.05,
  ring: 1,
};

function makeShapeMask(rng: () => number, name: ShapeName): Mask {
  const size = uniform(rng, 6, 11);
  const extent = SHAPE_EXTENT[name] * size;
  const centreX = uniform(rng, extent, WIDTH - extent);
  const centreY = uniform(rng, extent, HEIGHT - extent);
  // Small rotation (about +/-19 degrees) without trigonometry: normalize (1, t).
  const tilt = uniform(rng, -0.35, 0.35);
  const cos = 1 / Math.sqrt(1 + tilt * tilt);
  const sin = tilt * cos;
  const local = (x: number, y: number): [number, number] => {
    const dx = x - centreX;
    const dy = y - centreY;
    return [cos * dx + sin * dy, cos * dy - sin * dx];
  };

  switch (name) {
    case 'circle':
      return (x, y) => {
        const [u, v] = local(x, y);
        return u * u + v * v <= size * size;
      };
    case 'square': {
      const half = 0.8 * size;
      return (x, y) => {
        const [u, v] = local(x, y);
        return Math.abs(u) <= half && Math.abs(v) <= half;
      };
    }
    case 'triangle': {
      // Equilateral, circumradius 1.2 * size, pointing up or down.
      const inradius = 0.6 * size;
      const flip = rng() < 0.5 ? 1 : -1;
      const sqrt3Half = Math.sqrt(3) / 2;
      return (x, y) => {
        const [u, vRaw] = local(x, y);
        const v = flip * vRaw;
        return (
          v <= inradius &&
          sqrt3Half * u - 0.5 * v <= inradius &&
          -sqrt3Half * u - 0.5 * v <= inradius
        );
      };
    }
    case 'cross': {
      const arm = size;
      const halfWidth = size * uniform(rng, 0.25, 0.35);
      return (x, y) => {
        const [u, v] = local(x, y);
        const absU = Math.abs(u);
        const absV = Math.abs(v);
        return (absU <= halfWidth && absV <= arm) || (absV <= halfWidth && absU <= arm);
      };
    }
    case 'ring': {
      const inner = size * uniform(rng, 0.45, 0.6);
      return (x, y) => {
        const [u, v] = local(x, y);
        const d2 = u * u + v * v;
        return d2 <= size * size && d2 >= inner * inner;
      };
    }
  }
}
