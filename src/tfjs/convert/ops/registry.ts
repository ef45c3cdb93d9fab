/** The ONNX ops the converter handles (default domain, opset 13-17): those of the built-in models. */

import { convertAdd, convertDiv, convertErf, convertMul, convertPow, convertRelu, convertSqrt, convertSub } from './elementwise.js';
import { convertConv, convertGlobalAveragePool, convertMaxPool } from './image.js';
import { convertGemm, convertMatMul } from './matmul.js';
import { convertLayerNormalization, convertReduceMean, convertSoftmax } from './normalize.js';
import type { OpConverter } from './op-converter.js';
import { convertConcat, convertFlatten, convertReshape, convertTranspose } from './shape.js';
import { convertGather, convertSlice } from './slice-gather.js';

export const SUPPORTED_ONNX_OPS = [
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Relu',
  'Erf',
  'Sqrt',
  'Conv',
  'MaxPool',
  'GlobalAveragePool',
  'Flatten',
  'Gemm',
  'MatMul',
  'Reshape',
  'Transpose',
  'Concat',
  'Slice',
  'Gather',
  'Softmax',
  'LayerNormalization',
  'ReduceMean',
] as const;

export type SupportedOnnxOp = (typeof SUPPORTED_ONNX_OPS)[number];

export const OP_CONVERTERS = {
  Add: convertAdd,
  Sub: convertSub,
  Mul: convertMul,
  Div: convertDiv,
  Pow: convertPow,
  Relu: convertRelu,
  Erf: convertErf,
  Sqrt: convertSqrt,
  Conv: convertConv,
  MaxPool: convertMaxPool,
  GlobalAveragePool: convertGlobalAveragePool,
  Flatten: convertFlatten,
  Gemm: convertGemm,
  MatMul: convertMatMul,
  Reshape: convertReshape,
  Transpose: convertTranspose,
  Concat: convertConcat,
  Slice: convertSlice,
  Gather: convertGather,
  Softmax: convertSoftmax,
  LayerNormalization: convertLayerNormalization,
  ReduceMean: convertReduceMean,
} as const satisfies Record<SupportedOnnxOp, OpConverter>;

export function isSupportedOp(opType: string): opType is SupportedOnnxOp {
  return (SUPPORTED_ONNX_OPS as readonly string[]).includes(opType);
}
