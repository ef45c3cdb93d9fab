import type { SampleFeeds } from '../../backends/types.js';
import { makeShapesSample, SHAPES_IMAGE_SHAPE } from '../shapes/dataset.js';
import { SHAPES_ONNX_INPUT_NAME } from '../shapes/onnx-export.js';
import { makeTokensSample, TOKENS_SEQUENCE_LENGTH } from '../tokens/dataset.js';
import { TOKENS_ONNX_INPUT_NAME } from '../tokens/onnx-export.js';
import type { CalibrationSet } from './derived.js';

/**
 * int8-static calibrates on the train split, never on the eval samples it is scored on, so
 * the accuracy a profile reports is held-out accuracy.
 */
export const CALIBRATION_SAMPLES = 256;

export function shapesCalibration(seed: number): CalibrationSet {
  const feeds: SampleFeeds[] = [];
  for (let i = 0; i < CALIBRATION_SAMPLES; i++) {
    feeds.push({ [SHAPES_ONNX_INPUT_NAME]: { data: makeShapesSample(seed, 'train', i).pixels, dims: SHAPES_IMAGE_SHAPE } });
  }
  return { feeds, description: `shapes seed ${seed}, split train, indices 0-${CALIBRATION_SAMPLES - 1}` };
}

export function tokensCalibration(seed: number): CalibrationSet {
  const feeds: SampleFeeds[] = [];
  for (let i = 0; i < CALIBRATION_SAMPLES; i++) {
    feeds.push({ [TOKENS_ONNX_INPUT_NAME]: { data: makeTokensSample(seed, 'train', i).ids, dims: [TOKENS_SEQUENCE_LENGTH] } });
  }
  return { feeds, description: `tokens seed ${seed}, split train, indices 0-${CALIBRATION_SAMPLES - 1}` };
}
