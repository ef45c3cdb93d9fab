import type { ConversionContext } from '../context.js';
import type { OnnxNode } from '../onnx-graph.js';

/** Adds the TF nodes for one ONNX node and defines its outputs in the context. */
export type OpConverter = (node: OnnxNode, ctx: ConversionContext) => void;
