import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildVariant } from '../../src/precision/build-variant.js';
import { shapesFeeds } from './helpers/shapes-feeds.js';
import { buildTransformerOpsModel, syntheticTokenFeeds } from './helpers/transformer-ops-model.js';

const models = {
  'shapes-cnn': {
    bytes: new Uint8Array(readFileSync(new URL('../../workloads/shapes-cnn/model.onnx', import.meta.url))),
    calibration: { feeds: shapesFeeds('train', 64), description: 'shapes train 0-63' },
  },
  'transformer ops': {
    bytes: buildTransformerOpsModel(3),
    calibration: { feeds: syntheticTokenFeeds(202, 64), description: 'synthetic 64' },
  },
};

describe('building a variant twice', () => {
  for (const [name, { bytes, calibration }] of Object.entries(models)) {
    it.each(['fp16', 'int8-dynamic', 'int8-static'] as const)(`${name}: %s gives identical bytes`, async (precision) => {
      const first = await buildVariant(bytes, precision, calibration);
      const second = await buildVariant(bytes.slice(), precision, calibration);
      expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
      expect(second.notes).toEqual(first.notes);
    });
  }
});
