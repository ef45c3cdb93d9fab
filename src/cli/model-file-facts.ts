import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What result.json records of a local model file: path, sha256 and size on disk. */
export interface ModelFileFacts {
  readonly path: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * An ONNX file is one file. A TF.js model.json names its weight shards; the size on disk is
 * the JSON plus every shard, so fp32 and quantized models compare fairly. The hash covers the
 * JSON only (it names the shards).
 */
export async function modelFileFacts(path: string): Promise<ModelFileFacts> {
  let sizeBytes = statSync(path).size;
  if (path.toLowerCase().endsWith('.json')) {
    for (const shard of weightShards(path)) sizeBytes += statSync(join(dirname(path), shard)).size;
  }
  return { path, sha256: await sha256File(path), sizeBytes };
}

function weightShards(modelJson: string): string[] {
  const manifest = (JSON.parse(readFileSync(modelJson, 'utf8')) as { weightsManifest?: { paths?: string[] }[] }).weightsManifest ?? [];
  return manifest.flatMap((group) => group.paths ?? []);
}
