/** Builders for the nodes and attributes the transforms add. */

import { type AttributeProto, AttributeType, type NodeProto, toNumber } from './proto.js';

export function node(opType: string, name: string, input: readonly string[], output: readonly string[], attribute: AttributeProto[] = []): NodeProto {
  return { opType, name, input: [...input], output: [...output], attribute };
}

export function intAttribute(name: string, i: number): AttributeProto {
  return { name, type: AttributeType.INT, i };
}

export function attribute(node: NodeProto, name: string): AttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

export function intAttributeValue(node: NodeProto, name: string, fallback: number): number {
  const found = attribute(node, name);
  return found?.i == null ? fallback : toNumber(found.i);
}

export function floatAttributeValue(node: NodeProto, name: string, fallback: number): number {
  const found = attribute(node, name);
  return found?.f == null ? fallback : found.f;
}

/** Whether the node is in the default ONNX domain (the only one the transforms rewrite). */
export function isDefaultDomain(node: NodeProto): boolean {
  return node.domain == null || node.domain === '' || node.domain === 'ai.onnx';
}

/** The op as notes name it: "Gather", or "com.microsoft.FusedConv" outside the default domain. */
export function describeOp(node: NodeProto): string {
  return isDefaultDomain(node) ? (node.opType ?? '') : `${node.domain}.${node.opType}`;
}

/** Hands out tensor and node names that clash with nothing in the graph nor with each other. */
export class NameAllocator {
  readonly #taken: Set<string>;

  constructor(taken: Iterable<string>) {
    this.#taken = new Set(taken);
  }

  fresh(base: string): string {
    let name = base;
    for (let n = 2; this.#taken.has(name); n++) name = `${base}_${n}`;
    this.#taken.add(name);
    return name;
  }
}
