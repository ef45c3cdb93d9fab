import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildVariant } from '../../src/precision/build-variant.js';
import { shapesCalibration, tokensCalibration } from '../../src/workloads/generate/calibration-sets.js';
import { DERIVED_PRECISIONS } from '../../src/workloads/generate/derived.js';
import { loadWorkloadFile } from '../../src/workloads/load-workload.js';
import { BUILTIN_WORKLOADS_DIR } from '../../src/workloads/paths.js';

const BUILTINS = [
  { name: 'shapes-cnn', calibration: shapesCalibration(7) },
  { name: 'tokens-transformer', calibration: tokensCalibration(11) },
] as const;

describe.each(BUILTINS)('the committed precision variants of $name', ({ name, calibration }) => {
  const directory = join(BUILTIN_WORKLOADS_DIR, name);
  const fp32 = new Uint8Array(readFileSync(join(directory, 'model.onnx')));
  const workload = loadWorkloadFile(join(directory, 'workload.json'));
  const manifest = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8')) as { variants: Record<string, { file: string; sha256: string }> };

  it('are listed in workload.json, the int8-static one with its calibration set', () => {
    expect(Object.keys(workload.variants)).toEqual(['fp32', ...DERIVED_PRECISIONS]);
    expect(workload.variants['int8-static']?.calibration?.samples).toBe(calibration.description);
    expect(workload.variants['int8-static']?.calibration?.sampleCount).toBe(calibration.feeds.length);
    expect(workload.variants['fp32']?.tfjsPath).toBe(join(directory, 'tfjs', 'model.json'));
  });

  it.each(DERIVED_PRECISIONS)('%s is what the generator makes of the committed model.onnx (npm run generate:models)', async (precision) => {
    const built = await buildVariant(fp32, precision, precision === 'int8-static' ? calibration : undefined);
    const committed = readFileSync(join(directory, `model.${precision}.onnx`));
    expect(Buffer.from(built.bytes).equals(committed)).toBe(true);
    expect(manifest.variants[precision]?.sha256).toBe(createHash('sha256').update(committed).digest('hex'));
  });
});
