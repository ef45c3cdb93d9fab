/**
 * Builds a TensorFlow GraphDef in the JSON form TF.js graph models use
 * (tfjs-converter's operation_mapper reads it): nodes with `op`, `input` and
 * `attr` as TF AttrValue JSON (int64 as decimal strings, strings as base64),
 * and every Const's data kept aside for the weights file.
 */

export type TfDtype = 'float32' | 'int32';

export const TF_DTYPE_ENUM: Record<TfDtype, string> = { float32: 'DT_FLOAT', int32: 'DT_INT32' };

export type TfAttrValue =
  | { readonly i: string }
  | { readonly f: number }
  | { readonly b: boolean }
  | { readonly s: string }
  | { readonly type: string }
  | { readonly shape: TfShapeJson }
  | { readonly list: { readonly i: string[] } | { readonly s: string[] } }
  | { readonly tensor: { readonly dtype: string; readonly tensorShape: TfShapeJson } };

export interface TfShapeJson {
  readonly dim?: readonly { readonly size: string }[];
}

export interface TfNodeDef {
  readonly name: string;
  readonly op: string;
  readonly input?: readonly string[];
  readonly attr: Readonly<Record<string, TfAttrValue>>;
}

export interface TfWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: TfDtype;
  readonly values: Float32Array | Int32Array;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** -1 marks a dimension only known at run time. */
export function shapeJson(dims: readonly number[]): TfShapeJson {
  return dims.length === 0 ? {} : { dim: dims.map((d) => ({ size: String(d) })) };
}

export const attr = {
  int: (value: number): TfAttrValue => ({ i: String(value) }),
  ints: (values: readonly number[]): TfAttrValue => ({ list: { i: values.map(String) } }),
  float: (value: number): TfAttrValue => ({ f: value }),
  bool: (value: boolean): TfAttrValue => ({ b: value }),
  string: (value: string): TfAttrValue => ({ s: base64(value) }),
  strings: (values: readonly string[]): TfAttrValue => ({ list: { s: values.map(base64) } }),
  dtype: (dtype: TfDtype): TfAttrValue => ({ type: TF_DTYPE_ENUM[dtype] }),
  shape: (dims: readonly number[]): TfAttrValue => ({ shape: shapeJson(dims) }),
};

/** TF node names: [A-Za-z0-9.][A-Za-z0-9_./-]*; ':' and '^' would be read as output index and control input. */
function sanitize(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_./-]/g, '_');
  return /^[A-Za-z0-9.]/.test(cleaned) ? cleaned : `n${cleaned}`;
}

export class TfGraph {
  readonly nodes: TfNodeDef[] = [];
  readonly weights: TfWeight[] = [];
  readonly #taken = new Set<string>();

  /** A node name from `base` that no other node has. */
  #name(base: string): string {
    const clean = sanitize(base);
    let name = clean;
    for (let n = 1; this.#taken.has(name); n++) name = `${clean}_${n}`;
    this.#taken.add(name);
    return name;
  }

  placeholder(base: string, dtype: TfDtype, dims: readonly number[]): string {
    const name = this.#name(base);
    this.nodes.push({ name, op: 'Placeholder', attr: { dtype: attr.dtype(dtype), shape: attr.shape(dims) } });
    return name;
  }

  constant(base: string, dtype: TfDtype, dims: readonly number[], values: Float32Array | Int32Array): string {
    const name = this.#name(base);
    this.nodes.push({
      name,
      op: 'Const',
      attr: {
        value: { tensor: { dtype: TF_DTYPE_ENUM[dtype], tensorShape: shapeJson(dims) } },
        dtype: attr.dtype(dtype),
      },
    });
    this.weights.push({ name, shape: [...dims], dtype, values });
    return name;
  }

  /** An int32 vector (perm, axes, shape, begin...) as a Const. */
  ints(base: string, values: readonly number[]): string {
    return this.constant(base, 'int32', [values.length], Int32Array.from(values));
  }

  /** An int32 scalar (ConcatV2 and GatherV2 take their axis as one). */
  scalarInt(base: string, value: number): string {
    return this.constant(base, 'int32', [], Int32Array.of(value));
  }

  op(base: string, op: string, inputs: readonly string[], attrs: Readonly<Record<string, TfAttrValue>> = {}): string {
    const name = this.#name(base);
    this.nodes.push({ name, op, input: [...inputs], attr: attrs });
    return name;
  }
}
