/**
 * Reads a TF.js model.json and its weight files from disk into ModelArtifacts,
 * without tfjs-node (whose file:// loader is the usual way). Problems with the
 * files are UserError('model') naming the file.
 */

import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { UserError } from '../cli/errors.js';

/** Bytes per stored element, by dtype or by quantized dtype; strings have no fixed size. */
const ELEMENT_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readOrExplain(path: string, what: string, modelPath: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ENOENT';
    const where = path === modelPath ? modelPath : `${modelPath}: ${what} ${path}`;
    throw new UserError('model', missing ? `${where}: no such file` : `${where}: cannot read it (${reasonOf(error)})`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the manifest says the weight files must hold, or null when it cannot say (string weights). */
function expectedBytes(specs: readonly io.WeightsManifestEntry[]): number | null {
  let total = 0;
  for (const spec of specs) {
    const bytes = ELEMENT_BYTES[spec.quantization?.dtype ?? spec.dtype];
    if (bytes === undefined) return null;
    total += spec.shape.reduce((product, d) => product * d, 1) * bytes;
  }
  return total;
}

export async function readModelArtifacts(modelPath: string): Promise<io.ModelArtifacts> {
  const text = (await readOrExplain(modelPath, 'model', modelPath)).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError('model', `${modelPath}: not valid JSON (${reasonOf(error)})`);
  }
  if (!isRecord(json) || !isRecord(json['modelTopology'])) {
    throw new UserError('model', `${modelPath}: not a TF.js model.json (it has no modelTopology object)`);
  }
  const manifest = json['weightsManifest'] ?? [];
  if (!Array.isArray(manifest)) throw new UserError('model', `${modelPath}: weightsManifest is not a list`);
  const weightSpecs: io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of manifest as io.WeightsManifestConfig) {
    for (const path of group.paths ?? []) buffers.push(await readOrExplain(resolve(dirname(modelPath), path), 'weights file', modelPath));
    weightSpecs.push(...(group.weights ?? []));
  }
  const weightBytes = Buffer.concat(buffers);
  const expected = expectedBytes(weightSpecs);
  if (expected !== null && weightBytes.byteLength !== expected) {
    throw new UserError('model', `${modelPath}: the weight files hold ${weightBytes.byteLength} bytes, the weightsManifest describes ${expected}`);
  }
  const weightData = weightBytes.buffer.slice(weightBytes.byteOffset, weightBytes.byteOffset + weightBytes.byteLength) as ArrayBuffer;
  return { ...(json as unknown as io.ModelJSON), weightSpecs, weightData };
}
