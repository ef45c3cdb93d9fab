/** Hand-written small graphs for the transform rules, encoded with onnx-proto. */

import { type AttributeProto, AttributeType, ElemType, encodeModel, type NodeProto, type TensorProto, type ValueInfoProto } from '../../../src/precision/onnx/proto.js';

export function tensorInfo(name: string, elemType: number, dims: (number | string)[]): ValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } } };
}

export const floatInfo = (name: string, dims: (number | string)[]): ValueInfoProto => tensorInfo(name, ElemType.FLOAT, dims);

export function op(opType: string, input: string[], output: string[], attribute: AttributeProto[] = []): NodeProto {
  return { opType, name: output[0], input, output, attribute };
}

export const stringAttribute = (name: string, value: string): AttributeProto => ({ name, type: AttributeType.STRING, s: new TextEncoder().encode(value) });

export interface TinyGraph {
  readonly nodes: NodeProto[];
  readonly initializers?: TensorProto[];
  readonly inputs: ValueInfoProto[];
  readonly outputs: ValueInfoProto[];
  readonly valueInfo?: ValueInfoProto[];
  readonly opset?: number;
}

export function tinyModel(graph: TinyGraph): Uint8Array {
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: graph.opset ?? 17 }],
    graph: {
      name: 'tiny',
      node: graph.nodes,
      initializer: graph.initializers ?? [],
      input: graph.inputs,
      output: graph.outputs,
      valueInfo: graph.valueInfo ?? [],
    },
  });
}
