/** Builds small ONNX models (opset 17) for the converter tests, with seeded random weights. */

import onnxProto from 'onnx-proto';
import { canonicalDouble, Mt19937 } from '../../../src/loadgen/rng.js';

const { onnx } = onnxProto;
type Attribute = onnxProto.onnx.IAttributeProto;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT32 = onnx.TensorProto.DataType.INT32;
const INT64 = onnx.TensorProto.DataType.INT64;

export const ints = (name: string, values: number[]): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });
export const int = (name: string, i: number): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
export const float = (name: string, f: number): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f });

export class OnnxModelBuilder {
  readonly #nodes: onnxProto.onnx.INodeProto[] = [];
  readonly #initializers: onnxProto.onnx.ITensorProto[] = [];
  readonly #rng: Mt19937;

  constructor(seed: number) {
    this.#rng = new Mt19937(seed);
  }

  /** Adds a node; its output is named `output`, which it returns. */
  node(opType: string, inputs: string[], output: string, attribute: Attribute[] = [], domain = ''): string {
    this.#nodes.push({ opType, domain, name: output, input: inputs, output: [output], attribute });
    return output;
  }

  /** A float initializer of uniform values in [-scale, scale). */
  random(name: string, dims: number[], scale = 0.5): string {
    const count = dims.reduce((p, d) => p * d, 1);
    const values = Array.from({ length: count }, () => (canonicalDouble(this.#rng) * 2 - 1) * scale);
    return this.floats(name, dims, values);
  }

  floats(name: string, dims: number[], values: number[]): string {
    this.#initializers.push({ name, dims, dataType: FLOAT, floatData: values });
    return name;
  }

  int64s(name: string, values: (number | bigint)[]): string {
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => {
      view.setBigInt64(i * 8, BigInt(v), true);
    });
    this.#initializers.push({ name, dims: [values.length], dataType: INT64, rawData: raw });
    return name;
  }

  build(inputs: { name: string; type: 'float32' | 'int32' | 'int64'; dims: (number | string)[] }[], outputs: string[], opset = 17): Uint8Array {
    const info = (name: string, elemType: number, dims: (number | string)[] | null): onnxProto.onnx.IValueInfoProto => ({
      name,
      type: { tensorType: { elemType, ...(dims ? { shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } : {}) } },
    });
    const model: onnxProto.onnx.IModelProto = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: opset }],
      producerName: 'mlbench-test',
      graph: {
        name: 'test',
        node: this.#nodes,
        initializer: this.#initializers,
        input: inputs.map((i) => info(i.name, { float32: FLOAT, int32: INT32, int64: INT64 }[i.type], i.dims)),
        output: outputs.map((name) => info(name, FLOAT, null)),
      },
    };
    return onnx.ModelProto.encode(model).finish();
  }
}
