import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SampleFeeds } from '../../backends/types.js';
import { buildVariant } from '../../precision/build-variant.js';
import type { DerivedPrecision } from '../../precision/types.js';
import { convertOnnxToTfjs, TFJS_MODEL_FILE, writeTfjsModel } from '../../tfjs/onnx-to-tfjs.js';
import { jsonText } from './json-text.js';

/** The variants every built-in workload ships, in the order they are built. */
export const DERIVED_PRECISIONS: readonly DerivedPrecision[] = ['fp16', 'int8-dynamic', 'int8-static'];
const TFJS_DIR = 'tfjs';

export interface CalibrationSet {
  readonly feeds: readonly SampleFeeds[];
  /** Which samples, in words, e.g. "shapes seed 7, split train, indices 0-255". */
  readonly description: string;
}

/**
 * From a workload's committed fp32 model.onnx: the fp16, int8-dynamic and int8-static ONNX
 * variants and the TF.js conversion, listed in workload.json (`precisions`, `model.tfjs`) and
 * model.json (`variants`). Every output is a function of model.onnx and the calibration set.
 */
export async function writeDerivedModels(directory: string, calibration: CalibrationSet, log: (line: string) => void): Promise<void> {
  const fp32 = new Uint8Array(readFileSync(join(directory, 'model.onnx')));
  const precisions: Record<string, unknown> = {};
  const variants: Record<string, unknown> = {};
  for (const precision of DERIVED_PRECISIONS) {
    const build = await buildVariant(fp32, precision, precision === 'int8-static' ? calibration : undefined);
    const file = `model.${precision}.onnx`;
    writeFileSync(join(directory, file), build.bytes);
    precisions[precision] = build.calibration === null ? file : { path: file, calibration: build.calibration };
    variants[precision] = { file, sha256: sha256(build.bytes), sizeBytes: build.bytes.byteLength, notes: build.notes };
    log(`  ${file}: ${build.bytes.byteLength} bytes${build.notes.length > 0 ? ` (${build.notes.join('; ')})` : ''}`);
  }
  const converted = convertOnnxToTfjs(fp32);
  await writeTfjsModel(join(directory, TFJS_DIR), converted);
  variants['tfjs'] = { file: `${TFJS_DIR}/${TFJS_MODEL_FILE}`, of: 'fp32', notes: converted.notes };
  log(`  ${TFJS_DIR}/: TF.js graph model of the fp32 model${converted.notes.length > 0 ? ` (${converted.notes.join('; ')})` : ''}`);
  updateJson(
    join(directory, 'workload.json'),
    (workload) => {
      workload['model'] = { path: 'model.onnx', tfjs: `${TFJS_DIR}/${TFJS_MODEL_FILE}` };
      return insertAfter(workload, 'model', 'precisions', precisions);
    },
    // workload.json is also read and edited by people: keep its compact style.
    (value) => jsonText(value),
  );
  updateJson(join(directory, 'model.json'), (manifest) => ({ ...manifest, variants }), (value) => JSON.stringify(value, null, 2));
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function updateJson(path: string, change: (value: Record<string, unknown>) => Record<string, unknown>, format: (value: unknown) => string): void {
  const value = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  writeFileSync(path, `${format(change(value))}\n`);
}

/** Keeps the file's key order readable: `precisions` right after `model`. */
function insertAfter(object: Record<string, unknown>, after: string, key: string, value: unknown): Record<string, unknown> {
  const entries = Object.entries(object).filter(([k]) => k !== key);
  const at = entries.findIndex(([k]) => k === after) + 1;
  entries.splice(at, 0, [key, value]);
  return Object.fromEntries(entries);
}
