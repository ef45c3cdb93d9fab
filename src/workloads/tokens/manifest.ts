/**
 * The model.json written next to the tokens-transformer model.onnx: what the
 * model takes and returns, the task, how it was trained and how well it does.
 * Modelled on the shapes-cnn manifest (src/workloads/generate.ts).
 */

import { createHash } from 'node:crypto';
import { trainingSections } from '../training/manifest-sections.js';
import type { TokensModelBuild } from './build.js';
import {
  TOKENS_CLASSES,
  TOKENS_FIRST_CONTENT_ID,
  TOKENS_IDS_PER_GROUP,
  TOKENS_MARKER_ID,
  TOKENS_SEQUENCE_LENGTH,
  TOKENS_VOCABULARY_SIZE,
} from './dataset.js';
import {
  TOKENS_ONNX_BATCH_DIM,
  TOKENS_ONNX_INPUT_NAME,
  TOKENS_ONNX_IR_VERSION,
  TOKENS_ONNX_OPSET,
  TOKENS_ONNX_OUTPUT_NAME,
} from './onnx-export.js';

export { TOKENS_ONNX_INPUT_NAME, TOKENS_ONNX_OUTPUT_NAME } from './onnx-export.js';

export const TOKENS_WORKLOAD_NAME = 'tokens-transformer';

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** What the model does and why the task needs attention, with the numbers that show it. */
function describeWorkload(build: TokensModelBuild): string {
  const { shape, countsOnlyAccuracy } = build.info;
  return [
    `Small transformer encoder (${shape.layers}-layer, ${shape.heads} heads, width ${shape.width})`,
    `classifying sequences of ${TOKENS_SEQUENCE_LENGTH} token ids into ${TOKENS_CLASSES.length} classes:`,
    `the class is the group of the token right after the single marker token (id ${TOKENS_MARKER_ID});`,
    'every other position holds a uniformly random non-marker id.',
    `Chance is ${percent(1 / TOKENS_CLASSES.length)} and the best guess from token counts alone`,
    `(the most frequent group) is right ${percent(countsOnlyAccuracy)} of the time;`,
    "beyond that the model must relate the marker's position to its neighbour's content, which takes attention.",
  ].join(' ');
}

export function tokensManifest(build: TokensModelBuild): Record<string, unknown> {
  const { info } = build;
  const groups = Object.fromEntries(
    TOKENS_CLASSES.map((name, g) => {
      const first = TOKENS_FIRST_CONTENT_ID + g * TOKENS_IDS_PER_GROUP;
      return [name, [first, first + TOKENS_IDS_PER_GROUP - 1]];
    }),
  );
  return {
    name: TOKENS_WORKLOAD_NAME,
    description: describeWorkload(build),
    file: 'model.onnx',
    sha256: createHash('sha256').update(build.onnxBytes).digest('hex'),
    sizeBytes: build.onnxBytes.byteLength,
    format: { type: 'onnx', opset: TOKENS_ONNX_OPSET, irVersion: TOKENS_ONNX_IR_VERSION },
    input: {
      name: TOKENS_ONNX_INPUT_NAME,
      dtype: 'int32',
      shape: [TOKENS_ONNX_BATCH_DIM, TOKENS_SEQUENCE_LENGTH],
      meaning: `token ids in [0, ${TOKENS_VOCABULARY_SIZE}), feed them exactly as makeTokensSample returns them`,
    },
    output: {
      name: TOKENS_ONNX_OUTPUT_NAME,
      dtype: 'float32',
      shape: [TOKENS_ONNX_BATCH_DIM, TOKENS_CLASSES.length],
      meaning: 'unnormalized class scores; argmax is the predicted class',
    },
    classes: info.classes,
    vocabulary: {
      size: TOKENS_VOCABULARY_SIZE,
      markerId: TOKENS_MARKER_ID,
      /** Inclusive [first, last] id ranges. */
      fillerIdRange: [TOKENS_MARKER_ID + 1, TOKENS_FIRST_CONTENT_ID - 1],
      groupIdRanges: groups,
    },
    ...trainingSections(info, 'src/workloads/tokens/dataset.ts makeTokensSample(seed, split, index)'),
    accuracy: {
      heldOut: build.heldOutAccuracy,
      train: build.trainAccuracy,
      chance: 1 / TOKENS_CLASSES.length,
      countsOnly: info.countsOnlyAccuracy,
      measuredWith: 'pure-TS forward pass (src/workloads/tokens/forward.ts)',
    },
    architecture: info.architecture,
    multiplyAddsPerSequence: info.multiplyAddsPerSequence,
    parameters: info.parameters,
  };
}
