import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../cli/errors.js';
import type { OutputRows } from './output-rows.js';

/** Name of the outputs file an accuracy run writes into its run folder. */
export const OUTPUTS_FILE = 'outputs.bin';

/**
 * outputs.bin: rows × width float32 little-endian, dataset order, NaN rows for unanswered
 * samples. Raw floats (not JSON) so a 1000-class model's outputs stay small and exact.
 */
export async function writeOutputsFile(path: string, rows: OutputRows): Promise<void> {
  const bytes = Buffer.alloc(rows.data.length * 4);
  for (let i = 0; i < rows.data.length; i++) bytes.writeFloatLE(rows.data[i]!, i * 4);
  await writeFile(path, bytes);
}

/** `--reference-outputs`: an outputs.bin, or a run folder holding one. */
export function resolveOutputsPath(given: string): string {
  const path = existsSync(given) && statSync(given).isDirectory() ? join(given, OUTPUTS_FILE) : given;
  if (!existsSync(path)) throw new UserError('flag', `--reference-outputs ${given}: ${path} not found (give an accuracy run's folder or its ${OUTPUTS_FILE})`);
  return path;
}

/** Reads a reference written by writeOutputsFile for a dataset of `rows` samples. */
export async function readOutputsFile(path: string, rows: number, width: number): Promise<OutputRows> {
  const bytes = await readFile(path);
  if (bytes.byteLength !== rows * width * 4) {
    throw new UserError(
      'flag',
      `--reference-outputs ${path}: ${bytes.byteLength} bytes, but this run's outputs are ${rows} rows x ${width} float32 (${rows * width * 4} bytes): ` +
        'the reference must come from an accuracy run of the same workload and model outputs',
    );
  }
  const data = new Float32Array(rows * width);
  const present = new Uint8Array(rows);
  for (let i = 0; i < data.length; i++) data[i] = bytes.readFloatLE(i * 4);
  for (let r = 0; r < rows; r++) present[r] = Number.isNaN(data[r * width]!) ? 0 : 1;
  return { rows, width, data, present };
}
