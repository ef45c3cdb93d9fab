/**
 * Encodes trained shapes-CNN weights as an ONNX model (opset 17, IR 8) with
 * the onnx-proto bindings, and decodes such a model's weights back (tests use
 * that to run the pure-TS forward pass on the committed file).
 *
 * The bytes depend only on the weights and the given metadata: fields are
 * written in protobuf field order, initializers as little-endian raw_data, and
 * nothing time- or machine-dependent is included.
 */

import onnxProto from 'onnx-proto';
import { SHAPES_CLASSES, SHAPES_IMAGE_SHAPE } from './dataset.js';
import { type ConvWeights, SHAPES_INPUT_OFFSET, type ShapesCnnWeights } from './weights.js';

const { onnx } = onnxProto;

export const SHAPES_ONNX_INPUT_NAME = 'image';
export const SHAPES_ONNX_OUTPUT_NAME = 'logits';
export const SHAPES_ONNX_BATCH_DIM = 'batch';
export const SHAPES_ONNX_OPSET = 17;
export const SHAPES_ONNX_IR_VERSION = 8;
export const SHAPES_ONNX_PRODUCER = 'mlbench';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INPUT_OFFSET_NAME = 'input_offset';

export interface OnnxExportMetadata {
  docString: string;
  /** Written to metadata_props in this order. */
  properties: ReadonlyArray<readonly [string, string]>;
}

function float32LittleEndian(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}

function floatInitializer(name: string, dims: number[], values: Float32Array): onnxProto.onnx.ITensorProto {
  return { name, dims, dataType: FLOAT, rawData: float32LittleEndian(values) };
}

function intsAttribute(name: string, ints: number[]): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints };
}

function intAttribute(name: string, i: number): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

function node(
  opType: string,
  name: string,
  input: string[],
  output: string[],
  attribute: onnxProto.onnx.IAttributeProto[] = [],
): onnxProto.onnx.INodeProto {
  return { opType, name, input, output, attribute };
}

function floatValueInfo(name: string, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

function convName(index: number): string {
  return `conv${index + 1}`;
}

/** Graph: Sub(offset) -> [Conv -> Relu (-> MaxPool)]* -> GlobalAveragePool -> Flatten -> Gemm. */
function buildGraph(weights: ShapesCnnWeights): onnxProto.onnx.IGraphProto {
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const initializers: onnxProto.onnx.ITensorProto[] = [
    floatInitializer(INPUT_OFFSET_NAME, [], Float32Array.of(SHAPES_INPUT_OFFSET)),
  ];
  nodes.push(node('Sub', 'centre_input', [SHAPES_ONNX_INPUT_NAME, INPUT_OFFSET_NAME], ['centred']));
  let current = 'centred';
  weights.convs.forEach((conv: ConvWeights, index) => {
    const name = convName(index);
    initializers.push(
      floatInitializer(`${name}.weight`, [conv.outChannels, conv.inChannels, 3, 3], conv.weight),
      floatInitializer(`${name}.bias`, [conv.outChannels], conv.bias),
    );
    nodes.push(
      node('Conv', name, [current, `${name}.weight`, `${name}.bias`], [`${name}.out`], [
        intsAttribute('kernel_shape', [3, 3]),
        intsAttribute('pads', [1, 1, 1, 1]),
        intsAttribute('strides', [1, 1]),
      ]),
      node('Relu', `${name}.relu`, [`${name}.out`], [`${name}.relu`]),
    );
    current = `${name}.relu`;
    if (conv.poolAfter) {
      nodes.push(
        node('MaxPool', `${name}.pool`, [current], [`${name}.pool`], [
          intsAttribute('kernel_shape', [2, 2]),
          intsAttribute('strides', [2, 2]),
        ]),
      );
      current = `${name}.pool`;
    }
  });
  const { dense } = weights;
  initializers.push(
    floatInitializer('dense.weight', [dense.outFeatures, dense.inFeatures], dense.weight),
    floatInitializer('dense.bias', [dense.outFeatures], dense.bias),
  );
  nodes.push(
    node('GlobalAveragePool', 'global_average_pool', [current], ['pooled']),
    node('Flatten', 'flatten', ['pooled'], ['features'], [intAttribute('axis', 1)]),
    node('Gemm', 'dense', ['features', 'dense.weight', 'dense.bias'], [SHAPES_ONNX_OUTPUT_NAME], [
      intAttribute('transB', 1),
    ]),
  );
  return {
    name: 'shapes_cnn',
    node: nodes,
    initializer: initializers,
    input: [floatValueInfo(SHAPES_ONNX_INPUT_NAME, [SHAPES_ONNX_BATCH_DIM, ...SHAPES_IMAGE_SHAPE])],
    output: [floatValueInfo(SHAPES_ONNX_OUTPUT_NAME, [SHAPES_ONNX_BATCH_DIM, dense.outFeatures])],
  };
}

export function encodeShapesCnnOnnx(weights: ShapesCnnWeights, metadata: OnnxExportMetadata): Uint8Array {
  if (weights.dense.outFeatures !== SHAPES_CLASSES.length) {
    throw new RangeError(`expected ${SHAPES_CLASSES.length} outputs, got ${weights.dense.outFeatures}`);
  }
  const model: onnxProto.onnx.IModelProto = {
    irVersion: SHAPES_ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: SHAPES_ONNX_OPSET }],
    producerName: SHAPES_ONNX_PRODUCER,
    docString: metadata.docString,
    graph: buildGraph(weights),
    metadataProps: metadata.properties.map(([key, value]) => ({ key, value })),
  };
  return onnx.ModelProto.encode(model).finish();
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && 'toNumber' in value) {
    return (value as { toNumber(): number }).toNumber();
  }
  throw new TypeError(`not an integer: ${String(value)}`);
}

function readFloatTensor(tensors: Map<string, onnxProto.onnx.ITensorProto>, name: string): Float32Array {
  const tensor = tensors.get(name);
  if (!tensor) throw new Error(`initializer ${name} missing`);
  if (tensor.dataType !== FLOAT) throw new Error(`initializer ${name} is not float32`);
  const count = (tensor.dims ?? []).reduce<number>((product, d) => product * toNumber(d), 1);
  if (tensor.rawData && tensor.rawData.length > 0) {
    const raw = tensor.rawData;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    if (raw.byteLength !== count * 4) throw new Error(`initializer ${name} has ${raw.byteLength} bytes`);
    return Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
  }
  const values = Float32Array.from(tensor.floatData ?? []);
  if (values.length !== count) throw new Error(`initializer ${name} has ${values.length} values`);
  return values;
}

/** Reads the weights back from a model written by encodeShapesCnnOnnx. */
export function decodeShapesCnnOnnx(bytes: Uint8Array): ShapesCnnWeights {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph) throw new Error('model has no graph');
  const tensors = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t] as const));
  const pooled = new Set((graph.node ?? []).filter((n) => n.opType === 'MaxPool').map((n) => n.name));
  const convs: ConvWeights[] = [];
  for (let index = 0; tensors.has(`${convName(index)}.weight`); index++) {
    const name = convName(index);
    const weight = readFloatTensor(tensors, `${name}.weight`);
    const bias = readFloatTensor(tensors, `${name}.bias`);
    const dims = (tensors.get(`${name}.weight`)!.dims ?? []).map(toNumber);
    convs.push({
      outChannels: dims[0]!,
      inChannels: dims[1]!,
      weight,
      bias,
      poolAfter: pooled.has(`${name}.pool`),
    });
  }
  const denseDims = (tensors.get('dense.weight')?.dims ?? []).map(toNumber);
  return {
    convs,
    dense: {
      outFeatures: denseDims[0]!,
      inFeatures: denseDims[1]!,
      weight: readFloatTensor(tensors, 'dense.weight'),
      bias: readFloatTensor(tensors, 'dense.bias'),
    },
  };
}
