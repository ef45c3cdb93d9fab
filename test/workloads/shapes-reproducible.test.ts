import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildShapesModel } from '../../src/workloads/shapes/build.js';

const manifest = JSON.parse(
  readFileSync(new URL('../../workloads/shapes-cnn/model.json', import.meta.url), 'utf8'),
) as { sha256: string; accuracy: { heldOut: number; train: number } };

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const TINY = { trainSamples: 160, epochs: 1, evalSamples: 40 } as const;

describe('shapes-cnn build reproducibility', () => {
  it('a tiny build twice gives identical bytes; another training seed does not', () => {
    const first = buildShapesModel(TINY);
    const second = buildShapesModel(TINY);
    expect(sha256(second.onnxBytes)).toBe(sha256(first.onnxBytes));
    const reseeded = buildShapesModel({ ...TINY, trainingSeed: 12345 });
    expect(sha256(reseeded.onnxBytes)).not.toBe(sha256(first.onnxBytes));
  });

  it(
    'full rebuild from source (trains for about 30-60 s) reproduces the committed model.onnx byte for byte',
    () => {
      const build = buildShapesModel();
      expect(sha256(build.onnxBytes)).toBe(manifest.sha256);
      expect(build.heldOutAccuracy).toBe(manifest.accuracy.heldOut);
      expect(build.trainAccuracy).toBe(manifest.accuracy.train);
    },
    115_000,
  );
});
