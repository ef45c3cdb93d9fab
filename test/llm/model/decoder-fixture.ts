import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DecoderShape, TINY_LLM_SHAPE } from '../../../src/llm/model/config.js';
import { DecoderSession } from '../../../src/llm/model/decoder-session.js';
import { encodeDecoderOnnx } from '../../../src/llm/model/onnx-graph.js';
import { decoderParameterCount, decoderWeightsFrom, initializeDecoderParameters } from '../../../src/llm/model/weights.js';

/** An untrained decoder of the built-in shape (seeded), written to a temporary file. */
export function writeUntrainedDecoder(seed = 5, shape: DecoderShape = TINY_LLM_SHAPE): string {
  const flat = new Float64Array(decoderParameterCount(shape));
  initializeDecoderParameters(shape, seed, flat);
  const bytes = encodeDecoderOnnx(decoderWeightsFrom(shape, flat), { docString: 'test decoder', properties: [] });
  const path = join(mkdtempSync(join(tmpdir(), 'mlbench-tiny-llm-')), 'model.onnx');
  writeFileSync(path, bytes);
  return path;
}

export function openDecoder(modelPath: string, shape: DecoderShape = TINY_LLM_SHAPE): Promise<DecoderSession> {
  return DecoderSession.open({ modelPath, shape, intraOpThreads: 1 });
}
