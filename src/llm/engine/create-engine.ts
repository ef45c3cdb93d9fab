/**
 * Opens the built-in decoder (workloads/tiny-llm, or another directory holding a model.onnx
 * and model.json of the same interface) and starts an engine over it.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../cli/errors.js';
import { BUILTIN_WORKLOADS_DIR } from '../../workloads/paths.js';
import { type DecoderShape, TINY_LLM_NAME } from '../model/config.js';
import { DecoderSession } from '../model/decoder-session.js';
import { WordTokenizer } from '../text/word-tokenizer.js';
import { Engine } from './engine.js';
import { SCHEDULING_POLICIES } from './scheduling-policy.js';
import { type GenerationEngine, SCHEDULERS, type SchedulerName } from './types.js';

export interface EngineOptions {
  /** Default: workloads/tiny-llm of this package. */
  readonly modelDir?: string;
  readonly scheduler: SchedulerName;
  /** Most sequences in one decode step. */
  readonly maxBatch: number;
  /** Static only: how long an idle engine waits to fill a batch. */
  readonly batchWindowMs: number;
  /** 0 = onnxruntime's default. */
  readonly intraOpThreads: number;
}

export const DEFAULT_MODEL_DIR = join(BUILTIN_WORKLOADS_DIR, TINY_LLM_NAME);

const SHAPE_FIELDS = ['vocabularySize', 'contextLength', 'width', 'heads', 'feedForwardWidth', 'layers'] as const;

/** The model's name and shape from its model.json, checked field by field. */
function readManifest(modelDir: string): { name: string; shape: DecoderShape } {
  const path = join(modelDir, 'model.json');
  if (!existsSync(path)) throw new UserError('model', `${path}: no such file (the LLM engine needs model.onnx and model.json)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError('model', `${path}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const manifest = parsed as { name?: unknown; shape?: Record<string, unknown> };
  const shape = manifest.shape ?? {};
  const bad = SHAPE_FIELDS.filter((field) => !Number.isInteger(shape[field]) || (shape[field] as number) < 1);
  if (bad.length > 0) throw new UserError('model', `${path}: shape.${bad.join(', shape.')} missing or not a positive integer`);
  const name = typeof manifest.name === 'string' ? manifest.name : TINY_LLM_NAME;
  return { name, shape: shape as unknown as DecoderShape };
}

function checkOptions(options: EngineOptions): void {
  const problems: string[] = [];
  if (!SCHEDULERS.includes(options.scheduler)) problems.push(`scheduler '${String(options.scheduler)}' is not one of ${SCHEDULERS.join(', ')}`);
  if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) problems.push(`maxBatch must be a positive integer, got ${options.maxBatch}`);
  if (!Number.isFinite(options.batchWindowMs) || options.batchWindowMs < 0) problems.push(`batchWindowMs must be >= 0, got ${options.batchWindowMs}`);
  if (!Number.isInteger(options.intraOpThreads) || options.intraOpThreads < 0) problems.push(`intraOpThreads must be an integer >= 0, got ${options.intraOpThreads}`);
  if (problems.length > 0) throw new UserError('config', `LLM engine: ${problems.join('; ')}`);
}

export async function createEngine(options: EngineOptions): Promise<GenerationEngine> {
  checkOptions(options);
  const modelDir = options.modelDir ?? DEFAULT_MODEL_DIR;
  const { name, shape } = readManifest(modelDir);
  const tokenizer = new WordTokenizer();
  if (shape.vocabularySize !== tokenizer.vocabSize) {
    throw new UserError(
      'model',
      `${join(modelDir, 'model.json')}: vocabulary ${shape.vocabularySize} is not the word tokenizer's ${tokenizer.vocabSize} (regenerate: npm run generate:models -- --only tiny-llm)`,
    );
  }
  const modelPath = join(modelDir, 'model.onnx');
  let session: DecoderSession;
  try {
    session = await DecoderSession.open({ modelPath, shape, intraOpThreads: options.intraOpThreads });
  } catch (error) {
    throw new UserError('model', `${modelPath}: onnxruntime could not load it as the decoder: ${error instanceof Error ? error.message : String(error)}`);
  }
  return new Engine(session, tokenizer, {
    scheduler: options.scheduler,
    policy: SCHEDULING_POLICIES[options.scheduler],
    maxBatch: options.maxBatch,
    batchWindowMs: options.batchWindowMs,
    modelName: name,
  });
}
