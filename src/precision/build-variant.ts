/**
 * Builds a precision variant of a float32 ONNX model, offline and deterministically: the same
 * model bytes (and calibration samples) give the same variant bytes.
 */

import { UserError } from '../cli/errors.js';
import { calibrateRanges } from './calibrate.js';
import { decodeModel, encodeModel, requireOpset, withGraph } from './onnx/proto.js';
import { convertToFloat16 } from './to-fp16.js';
import { quantizeDynamic } from './to-int8-dynamic.js';
import { ACTIVATION_SCHEME, activationTensors, quantizeStatic, RANGE_SIGNIFICANT_BITS, WEIGHT_SCHEME } from './to-int8-static.js';
import type { CalibrationInput, CalibrationRecord, DerivedPrecision, VariantBuild } from './types.js';

/** DynamicQuantizeLinear is opset 11. */
const DYNAMIC_MIN_OPSET = 11;
/** Per-axis DequantizeLinear (per-channel weights) is opset 13. */
const STATIC_MIN_OPSET = 13;

export async function buildVariant(fp32Model: Uint8Array, precision: DerivedPrecision, calibration?: CalibrationInput): Promise<VariantBuild> {
  const { model, graph } = decodeModel(fp32Model);
  switch (precision) {
    case 'fp16': {
      const result = convertToFloat16(graph);
      return { precision, bytes: encodeModel(withGraph(model, result.graph, precision)), notes: result.notes, calibration: null };
    }
    case 'int8-dynamic': {
      requireOpset(model, DYNAMIC_MIN_OPSET, 'int8-dynamic');
      const result = quantizeDynamic(graph);
      return { precision, bytes: encodeModel(withGraph(model, result.graph, precision)), notes: result.notes, calibration: null };
    }
    case 'int8-static': {
      requireOpset(model, STATIC_MIN_OPSET, 'int8-static');
      if (!calibration) throw new UserError('config', 'int8-static needs calibration samples');
      const ranges = await calibrateRanges(model, graph, activationTensors(graph), calibration.feeds);
      const result = quantizeStatic(graph, ranges);
      const record: CalibrationRecord = {
        method: 'minmax',
        sampleCount: calibration.feeds.length,
        samples: calibration.description,
        activations: `${ACTIVATION_SCHEME}; range = [min, max] over the samples, widened to include 0, rounded outward to ${RANGE_SIGNIFICANT_BITS} significant bits`,
        weights: WEIGHT_SCHEME,
      };
      return { precision, bytes: encodeModel(withGraph(model, result.graph, precision)), notes: result.notes, calibration: record };
    }
  }
}
