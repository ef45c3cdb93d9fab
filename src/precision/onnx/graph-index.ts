/** Look-ups over a graph: initializers, producers, consumers, graph inputs and outputs. */

import { UserError } from '../../cli/errors.js';
import { NameAllocator } from './nodes.js';
import type { GraphProto, NodeProto, TensorProto } from './proto.js';

export interface TensorUse {
  readonly node: NodeProto;
  readonly slot: number;
}

export class GraphIndex {
  readonly graph: GraphProto;
  readonly nodes: readonly NodeProto[];
  readonly initializers: ReadonlyMap<string, TensorProto>;
  /** Graph inputs that are fed at run time (not initializers). */
  readonly inputs: ReadonlySet<string>;
  readonly outputs: ReadonlySet<string>;
  readonly producers: ReadonlyMap<string, NodeProto>;
  readonly consumers: ReadonlyMap<string, readonly TensorUse[]>;

  constructor(graph: GraphProto) {
    this.graph = graph;
    this.nodes = graph.node ?? [];
    this.initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t] as const));
    this.inputs = new Set((graph.input ?? []).map((v) => v.name ?? '').filter((name) => !this.initializers.has(name)));
    this.outputs = new Set((graph.output ?? []).map((v) => v.name ?? ''));
    const producers = new Map<string, NodeProto>();
    const consumers = new Map<string, TensorUse[]>();
    for (const node of this.nodes) {
      if ((node.attribute ?? []).some((a) => a.g != null || (a.graphs ?? []).length > 0)) {
        throw new UserError('model', `node ${node.name || node.opType} (${node.opType}) has a subgraph; precision variants support only flat graphs`);
      }
      (node.input ?? []).forEach((name, slot) => {
        if (name === '') return;
        const uses = consumers.get(name) ?? [];
        uses.push({ node, slot });
        consumers.set(name, uses);
      });
      for (const name of node.output ?? []) if (name !== '') producers.set(name, node);
    }
    this.producers = producers;
    this.consumers = consumers;
  }

  usesOf(tensor: string): readonly TensorUse[] {
    return this.consumers.get(tensor) ?? [];
  }

  /** A name allocator that avoids every tensor and node name in the graph. */
  names(): NameAllocator {
    const taken: string[] = [...this.initializers.keys(), ...this.inputs, ...this.outputs];
    for (const node of this.nodes) taken.push(node.name ?? '', ...(node.input ?? []), ...(node.output ?? []));
    for (const info of this.graph.valueInfo ?? []) taken.push(info.name ?? '');
    return new NameAllocator(taken);
  }
}
