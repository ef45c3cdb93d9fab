/**
 * Static shapes as the converter tracks them, always in ONNX axis order: a
 * number, or a symbol for a size only known at run time ('batch', or a
 * made-up '?3' when an op's output size depends on one).
 */

export type Dim = number | string;

export function isKnown(dim: Dim): dim is number {
  return typeof dim === 'number';
}

/** For TF shapes: -1 where the size is only known at run time. */
export function tfDims(dims: readonly Dim[]): number[] {
  return dims.map((d) => (isKnown(d) ? d : -1));
}

export function knownProduct(dims: readonly Dim[]): number {
  return dims.reduce<number>((product, d) => (isKnown(d) ? product * d : product), 1);
}

export function symbolsOf(dims: readonly Dim[]): string[] {
  return dims.filter((d): d is string => !isKnown(d));
}

/** ONNX (numpy) broadcasting; two different symbols are assumed equal, as the model's author must have. */
export function broadcastDims(shapes: readonly (readonly Dim[])[]): Dim[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let axis = 0; axis < rank; axis++) {
    let dim: Dim = 1;
    for (const shape of shapes) {
      const d = shape[axis - (rank - shape.length)] ?? 1;
      if (d === 1) continue;
      if (dim === 1 || (!isKnown(dim) && isKnown(d))) dim = d;
    }
    out.push(dim);
  }
  return out;
}

/** Normalizes a possibly negative axis against `rank`. */
export function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Transposes row-major `values` of shape `dims` by `perm` (out axis i = in axis perm[i]). */
export function transposeValues<T extends Float32Array | Int32Array | BigInt64Array>(values: T, dims: readonly number[], perm: readonly number[]): T {
  const rank = dims.length;
  const outDims = perm.map((p) => dims[p]!);
  const inStrides = new Array<number>(rank).fill(1);
  for (let axis = rank - 2; axis >= 0; axis--) inStrides[axis] = inStrides[axis + 1]! * dims[axis + 1]!;
  const out = new (values.constructor as new (n: number) => T)(values.length);
  const index = new Array<number>(rank).fill(0);
  // Walk the output in order, keeping its multi-index, and read each element from its source offset.
  const strideOf = perm.map((p) => inStrides[p]!);
  for (let o = 0; o < values.length; o++) {
    let source = 0;
    for (let axis = 0; axis < rank; axis++) source += index[axis]! * strideOf[axis]!;
    out[o] = values[source]!;
    for (let axis = rank - 1; axis >= 0; axis--) {
      const next = index[axis]! + 1;
      index[axis] = next < outDims[axis]! ? next : 0;
      if (next < outDims[axis]!) break;
    }
  }
  return out;
}
