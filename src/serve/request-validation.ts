import { ProtocolError } from '../kserve/protocol-error.js';
import type { InferRequest, ModelMetadata, TensorMetadata, WireTensor } from '../kserve/types.js';

/** A request the model can run: its inputs in the model's order, and which outputs to return. */
export interface ValidatedRequest {
  readonly inputs: readonly WireTensor[];
  /** Rows along the batch dimension (1 for a model without one). */
  readonly rows: number;
  /** The sizes of the variable non-batch dimensions: requests batch together only when these match. */
  readonly shapeKey: string;
  /** Indices into the model's outputs, in the order asked for (all when none were named). */
  readonly outputIndices: readonly number[];
}

/**
 * Checks a decoded request against the model: every input present once and none unknown,
 * datatypes and fixed dimensions as declared, one batch size across inputs, within the max
 * batch. Each problem throws a ProtocolError naming the tensor and what was expected.
 */
export function validateRequest(request: InferRequest, model: ModelMetadata, dynamicBatch: boolean, maxBatchRows: number): ValidatedRequest {
  const byName = new Map<string, WireTensor>();
  for (const tensor of request.inputs) {
    if (byName.has(tensor.name)) throw new ProtocolError(`input '${tensor.name}' is given twice`);
    if (!model.inputs.some((i) => i.name === tensor.name)) {
      throw new ProtocolError(`model '${model.name}' has no input named '${tensor.name}' (its inputs: ${names(model.inputs)})`);
    }
    byName.set(tensor.name, tensor);
  }
  let rows = -1;
  let rowsFrom = '';
  const key: number[] = [];
  const inputs = model.inputs.map((spec) => {
    const tensor = byName.get(spec.name);
    if (tensor === undefined) throw new ProtocolError(`input '${spec.name}' is missing (model '${model.name}' takes: ${names(model.inputs)})`);
    checkTensor(tensor, spec);
    const tensorRows = dynamicBatch ? tensor.shape[0]! : 1;
    if (rows === -1) {
      rows = tensorRows;
      rowsFrom = spec.name;
    } else if (tensorRows !== rows) {
      throw new ProtocolError(`inputs disagree on the batch size: '${rowsFrom}' has ${rows} rows, '${spec.name}' has ${tensorRows}`);
    }
    spec.shape.forEach((d, i) => {
      if (d === -1 && !(dynamicBatch && i === 0)) key.push(tensor.shape[i]!);
    });
    return tensor;
  });
  if (rows < 1) throw new ProtocolError(`the batch dimension of '${rowsFrom}' is 0: send at least one row`);
  if (rows > maxBatchRows) {
    throw new ProtocolError(
      `the request has ${rows} rows, more than this server's max batch of ${maxBatchRows}: split it, or restart the server with a larger --max-batch`,
    );
  }
  return { inputs, rows, shapeKey: key.join('x'), outputIndices: outputIndices(request.outputs, model) };
}

function checkTensor(tensor: WireTensor, spec: TensorMetadata): void {
  if (tensor.datatype !== spec.datatype) {
    throw new ProtocolError(`input '${spec.name}': datatype ${tensor.datatype}, but the model takes ${spec.datatype}`);
  }
  const declared = `[${spec.shape.join(', ')}]`;
  if (tensor.shape.length !== spec.shape.length) {
    throw new ProtocolError(
      `input '${spec.name}': shape [${tensor.shape.join(', ')}] has ${tensor.shape.length} dimensions, but the model takes ${spec.shape.length} (${declared}; -1 = any size)`,
    );
  }
  spec.shape.forEach((d, i) => {
    if (d !== -1 && tensor.shape[i] !== d) {
      throw new ProtocolError(`input '${spec.name}': dimension ${i} is ${tensor.shape[i]}, but the model fixes it at ${d} (${declared}; -1 = any size)`);
    }
  });
}

function outputIndices(requested: readonly string[], model: ModelMetadata): number[] {
  if (requested.length === 0) return model.outputs.map((_, i) => i);
  return requested.map((name) => {
    const index = model.outputs.findIndex((o) => o.name === name);
    if (index === -1) throw new ProtocolError(`model '${model.name}' has no output named '${name}' (its outputs: ${names(model.outputs)})`);
    return index;
  });
}

function names(tensors: readonly TensorMetadata[]): string {
  return tensors.map((t) => t.name).join(', ');
}
