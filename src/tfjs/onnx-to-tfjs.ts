/**
 * ONNX -> TF.js graph model, for the ops of mlbench's built-in models (see
 * convert/ops/registry.ts). The output runs on every TF.js runtime with the
 * same weights as the ONNX model; layout handling is described in
 * convert/context.ts.
 *
 * Deterministic: the files depend only on the ONNX bytes (no dates, versions
 * or paths), so the committed converted model can be checked in tests.
 */

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../cli/errors.js';
import { ConversionContext } from './convert/context.js';
import { type Dim, tfDims } from './convert/dims.js';
import { type OnnxValueInfo, readOnnxGraph } from './convert/onnx-graph.js';
import { isSupportedOp, OP_CONVERTERS, SUPPORTED_ONNX_OPS } from './convert/ops/registry.js';
import { shapeJson, TF_DTYPE_ENUM, type TfDtype, type TfWeight } from './convert/tf-graph.js';

export const TFJS_MODEL_FILE = 'model.json';
export const TFJS_WEIGHTS_FILE = 'weights.bin';
/** Changes when the converter's output would change for the same ONNX bytes. */
export const CONVERTER_ID = 'mlbench onnx-to-tfjs 1';
const MIN_OPSET = 13;
const MAX_OPSET = 17;

export interface ConvertedTfjsModel {
  /** model.json: format 'graph-model', a TF GraphDef as JSON, and the weights manifest. */
  readonly modelJson: string;
  /** weights.bin: every Const's data, little-endian, in manifest order. */
  readonly weightsBin: Uint8Array;
  /** What the conversion changed that a user may want to know (layout conversions, int64 -> int32). */
  readonly notes: string[];
}

interface SignatureEntry {
  readonly name: string;
  readonly dtype: string;
  readonly tensorShape: ReturnType<typeof shapeJson>;
}

function checkOps(nodes: ReturnType<typeof readOnnxGraph>['nodes']): void {
  for (const node of nodes) {
    const domain = node.domain === 'ai.onnx' ? '' : node.domain;
    if (domain !== '' || !isSupportedOp(node.opType)) {
      const op = domain === '' ? node.opType : `${domain}.${node.opType}`;
      throw new UserError('model', `ONNX op '${op}' (node '${node.label}') is not supported by the TF.js converter; it supports: ${SUPPORTED_ONNX_OPS.join(', ')}`);
    }
  }
}

function graphDims(info: OnnxValueInfo, fresh: () => string): Dim[] {
  if (info.dims === null) throw new UserError('model', `ONNX graph value '${info.name}' declares no shape; the TF.js converter needs its rank`);
  return info.dims.map((d) => (d === '' ? fresh() : d));
}

function weightsBinary(weights: readonly TfWeight[]): Uint8Array {
  const bytes = new Uint8Array(weights.reduce((sum, w) => sum + w.values.length * 4, 0));
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const weight of weights) {
    for (const v of weight.values) {
      if (weight.dtype === 'float32') view.setFloat32(offset, v, true);
      else view.setInt32(offset, v, true);
      offset += 4;
    }
  }
  return bytes;
}

export function convertOnnxToTfjs(onnxBytes: Uint8Array): ConvertedTfjsModel {
  const onnx = readOnnxGraph(onnxBytes);
  if (onnx.opset < MIN_OPSET || onnx.opset > MAX_OPSET) {
    throw new UserError('model', `ONNX model has opset ${onnx.opset}; the TF.js converter handles opsets ${MIN_OPSET}-${MAX_OPSET}`);
  }
  checkOps(onnx.nodes);
  const ctx = new ConversionContext(onnx);
  const notes: string[] = [];
  const fresh = () => ctx.freshSymbol();
  const inputs: Record<string, SignatureEntry> = {};
  for (const info of onnx.inputs) {
    const dtype: TfDtype = info.dtype === 'float32' ? 'float32' : 'int32';
    if (info.dtype === 'int64') notes.push(`input '${info.name}' is int64 in ONNX; TF.js has no int64, so the TF.js model takes int32`);
    const dims = graphDims(info, fresh);
    const tfName = ctx.tf.placeholder(info.name, dtype, tfDims(dims));
    ctx.define(info.name, { tfName, dtype, dims, layout: 'onnx' });
    inputs[info.name] = { name: `${tfName}:0`, dtype: TF_DTYPE_ENUM[dtype], tensorShape: shapeJson(tfDims(dims)) };
  }
  for (const node of onnx.nodes) {
    if (!ctx.isAbsorbed(node)) OP_CONVERTERS[node.opType as keyof typeof OP_CONVERTERS](node, ctx);
  }
  const outputs: Record<string, SignatureEntry> = {};
  for (const info of onnx.outputs) {
    const value = ctx.value(info.name, 'onnx', `ONNX graph output '${info.name}'`);
    if (info.dtype === 'int64') notes.push(`output '${info.name}' is int64 in ONNX and int32 in TF.js`);
    outputs[info.name] = { name: `${value.tfName}:0`, dtype: TF_DTYPE_ENUM[value.dtype], tensorShape: shapeJson(tfDims(value.dims)) };
  }
  if (ctx.relayouts.length > 0) notes.push(`layout: ONNX NCHW runs as NHWC in TF.js; conversions: ${ctx.relayouts.join(', ')}`);
  const model = {
    format: 'graph-model',
    generatedBy: `ONNX opset ${onnx.opset}${onnx.producer ? ` from ${onnx.producer}` : ''}`,
    convertedBy: CONVERTER_ID,
    signature: { inputs, outputs },
    modelTopology: { node: ctx.tf.nodes, library: {}, versions: {} },
    weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: ctx.tf.weights.map((w) => ({ name: w.name, shape: w.shape, dtype: w.dtype })) }],
  };
  return { modelJson: `${JSON.stringify(model, null, 2)}\n`, weightsBin: weightsBinary(ctx.tf.weights), notes };
}

/** Writes model.json and weights.bin into `directory` (created if missing). */
export async function writeTfjsModel(directory: string, converted: ConvertedTfjsModel): Promise<void> {
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, TFJS_MODEL_FILE), converted.modelJson);
  await writeFile(join(directory, TFJS_WEIGHTS_FILE), converted.weightsBin);
}

/** Converts the ONNX file at `onnxPath` into `directory`; errors name the file. Returns the conversion notes. */
export async function convertOnnxFileToTfjs(onnxPath: string, directory: string): Promise<string[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(onnxPath);
  } catch (error) {
    const reason = (error as { code?: unknown }).code === 'ENOENT' ? 'no such file' : `cannot read it (${error instanceof Error ? error.message : String(error)})`;
    throw new UserError('model', `${onnxPath}: ${reason}`);
  }
  let converted: ConvertedTfjsModel;
  try {
    converted = convertOnnxToTfjs(bytes);
  } catch (error) {
    if (error instanceof UserError) throw new UserError(error.kind, `${onnxPath}: ${error.message}`);
    throw error;
  }
  await writeTfjsModel(directory, converted);
  return converted.notes;
}
