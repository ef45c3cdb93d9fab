/** Typed reads of ONNX node attributes, with the defaults the ONNX spec gives. */

import { UserError } from '../../cli/errors.js';
import type { OnnxNode } from './onnx-graph.js';
import { toSafeNumber } from './onnx-graph.js';

function what(node: OnnxNode, name: string): string {
  return `${node.opType} '${node.label}' attribute ${name}`;
}

export function intAttribute(node: OnnxNode, name: string, fallback: number): number {
  const attribute = node.attributes.get(name);
  if (attribute?.i == null) return fallback;
  return toSafeNumber(attribute.i, what(node, name));
}

export function intsAttribute(node: OnnxNode, name: string): number[] | undefined {
  const attribute = node.attributes.get(name);
  if (attribute === undefined) return undefined;
  return (attribute.ints ?? []).map((v) => toSafeNumber(v, what(node, name)));
}

export function floatAttribute(node: OnnxNode, name: string, fallback: number): number {
  const attribute = node.attributes.get(name);
  return attribute?.f ?? fallback;
}

export function stringAttribute(node: OnnxNode, name: string, fallback: string): string {
  const attribute = node.attributes.get(name);
  if (attribute?.s == null || attribute.s.length === 0) return fallback;
  return new TextDecoder().decode(attribute.s);
}

/** The converter supports part of an op: this names the part that is not. */
export function unsupported(node: OnnxNode, detail: string): UserError {
  return new UserError('model', `ONNX ${node.opType} '${node.label}': ${detail} is not supported by the TF.js converter`);
}
