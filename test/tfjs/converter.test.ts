import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { convertOnnxToTfjs, TFJS_MODEL_FILE, TFJS_WEIGHTS_FILE } from '../../src/tfjs/onnx-to-tfjs.js';
import { BUILTIN_WORKLOADS_DIR } from '../../src/workloads/paths.js';
import { int, ints, OnnxModelBuilder } from './helpers/onnx-builder.js';
import { buildTransformerOnnx } from './helpers/test-models.js';

const SHAPES_DIR = join(BUILTIN_WORKLOADS_DIR, 'shapes-cnn');
const shapesOnnx = readFileSync(join(SHAPES_DIR, 'model.onnx'));

function ops(modelJson: string): string[] {
  const model = JSON.parse(modelJson) as { modelTopology: { node: { op: string }[] } };
  return model.modelTopology.node.map((n) => n.op).filter((op) => op !== 'Const');
}

function conversionError(onnx: Uint8Array): UserError {
  try {
    convertOnnxToTfjs(onnx);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('the conversion succeeded');
}

/** image [batch, 2, 4, 4] -> Conv (with `convAttributes`) -> `extraOp`. */
function smallCnn(convAttributes = [ints('pads', [1, 1, 1, 1])], extraOp?: { opType: string; domain?: string }): Uint8Array {
  const m = new OnnxModelBuilder(1);
  const conv = m.node('Conv', ['image', m.random('w', [2, 2, 3, 3]), m.random('b', [2])], 'conv', convAttributes);
  const out = extraOp ? m.node(extraOp.opType, [conv], 'out', [], extraOp.domain) : conv;
  return m.build([{ name: 'image', type: 'float32', dims: ['batch', 2, 4, 4] }], [out]);
}

describe('the ONNX -> TF.js converter', () => {
  it('is deterministic: the same ONNX bytes give byte-identical files', () => {
    for (const onnx of [shapesOnnx, buildTransformerOnnx(3)]) {
      const first = convertOnnxToTfjs(onnx);
      const second = convertOnnxToTfjs(onnx);
      expect(second.modelJson).toBe(first.modelJson);
      expect(Buffer.from(second.weightsBin).equals(Buffer.from(first.weightsBin))).toBe(true);
    }
  });

  it('the committed workloads/shapes-cnn/tfjs is what it makes of the committed model.onnx', () => {
    const converted = convertOnnxToTfjs(shapesOnnx);
    expect(readFileSync(join(SHAPES_DIR, 'tfjs', TFJS_MODEL_FILE), 'utf8')).toBe(converted.modelJson);
    expect(readFileSync(join(SHAPES_DIR, 'tfjs', TFJS_WEIGHTS_FILE)).equals(Buffer.from(converted.weightsBin))).toBe(true);
  });

  it('shapes-cnn: one Transpose to NHWC for the whole network, each Conv+Relu one fused kernel, no Transpose back', () => {
    const converted = convertOnnxToTfjs(shapesOnnx);
    expect(ops(converted.modelJson)).toEqual([
      'Placeholder',
      'Sub',
      'Transpose',
      '_FusedConv2D',
      'MaxPool',
      '_FusedConv2D',
      'MaxPool',
      '_FusedConv2D',
      'Mean',
      'Reshape',
      '_FusedMatMul',
    ]);
    expect(converted.notes).toEqual(["layout: ONNX NCHW runs as NHWC in TF.js; conversions: 'centred' NCHW->NHWC by Transpose"]);
  });

  it('stores every weight once, little-endian, as the manifest lists them', () => {
    const converted = convertOnnxToTfjs(shapesOnnx);
    const manifest = (JSON.parse(converted.modelJson) as { weightsManifest: { weights: { shape: number[] }[] }[] }).weightsManifest;
    const elements = manifest[0]!.weights.reduce((sum, w) => sum + w.shape.reduce((p, d) => p * d, 1), 0);
    expect(converted.weightsBin.byteLength).toBe(elements * 4);
  });

  it('notes that an int64 input becomes int32', () => {
    expect(convertOnnxToTfjs(buildTransformerOnnx(3, 'int64')).notes).toContain("input 'ids' is int64 in ONNX; TF.js has no int64, so the TF.js model takes int32");
  });

  it('an unsupported op is a UserError naming it and its node', () => {
    const error = conversionError(smallCnn(undefined, { opType: 'Tanh' }));
    expect(error.kind).toBe('model');
    expect(error.message).toMatch(/^ONNX op 'Tanh' \(node 'out'\) is not supported by the TF\.js converter; it supports: Add, Sub/);
    expect(conversionError(smallCnn(undefined, { opType: 'FusedGemm', domain: 'com.microsoft' })).message).toContain("ONNX op 'com.microsoft.FusedGemm'");
  });

  it('an unsupported variant of a supported op names the op and what is unsupported', () => {
    const error = conversionError(smallCnn([ints('pads', [1, 1, 1, 1]), int('group', 2)]));
    expect(error.kind).toBe('model');
    expect(error.message).toBe("ONNX Conv 'conv': group 2 (grouped or depthwise convolution) is not supported by the TF.js converter");
  });

  it('refuses opsets whose op semantics it does not implement', () => {
    const m = new OnnxModelBuilder(1);
    m.node('Relu', ['x'], 'y');
    const error = conversionError(m.build([{ name: 'x', type: 'float32', dims: [2] }], ['y'], 18));
    expect(error.message).toBe('ONNX model has opset 18; the TF.js converter handles opsets 13-17');
  });

  it('bytes that are not ONNX are a UserError', () => {
    expect(conversionError(new TextEncoder().encode('{"not": "onnx"}')).kind).toBe('model');
  });
});
