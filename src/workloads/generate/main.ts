/**
 * `npm run generate:models`: builds every file of the built-in workloads into workloads/<name>/:
 * the model trained by the project (model.onnx, model.json), its precision variants
 * (model.fp16.onnx, model.int8-dynamic.onnx, model.int8-static.onnx) and its TF.js conversion
 * (tfjs/), all listed in workload.json. Deterministic: re-running leaves the committed files
 * byte for byte as they are (tests check the recorded hashes).
 *
 *   npm run generate:models                          train, then derive (a few minutes)
 *   npm run generate:models -- --derived-only        keep the committed model.onnx; rebuild variants and TF.js
 *   npm run generate:models -- --only shapes-cnn     one workload
 */

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TINY_LLM_NAME } from '../../llm/model/config.js';
import { generateTinyLlm } from '../../llm/model/generate.js';
import { BUILTIN_WORKLOADS_DIR } from '../paths.js';
import { buildShapesModel } from '../shapes/build.js';
import { buildTokensModel } from '../tokens/build.js';
import { TOKENS_WORKLOAD_NAME, tokensManifest } from '../tokens/manifest.js';
import { shapesCalibration, tokensCalibration } from './calibration-sets.js';
import { type CalibrationSet, writeDerivedModels } from './derived.js';
import { SHAPES_WORKLOAD_NAME, shapesManifest } from './shapes-manifest.js';

interface TrainedModel {
  readonly onnxBytes: Uint8Array;
  readonly manifest: Record<string, unknown>;
  readonly summary: string;
}

interface BuiltinWorkload {
  readonly train: () => TrainedModel;
  readonly calibration: (seed: number) => CalibrationSet;
}

const epochLine = (r: { epoch: number; meanLoss: number; runningAccuracy: number }): void =>
  console.log(`  epoch ${r.epoch}: loss ${r.meanLoss.toFixed(4)}, running accuracy ${(r.runningAccuracy * 100).toFixed(1)}%`);

const accuracyLine = (heldOut: number, evalSamples: number, train: number): string =>
  `held-out accuracy ${(heldOut * 100).toFixed(2)}% (${evalSamples} eval samples), train accuracy ${(train * 100).toFixed(2)}%`;

const BUILTINS: Readonly<Record<string, BuiltinWorkload>> = {
  [SHAPES_WORKLOAD_NAME]: {
    train: () => {
      const build = buildShapesModel({ onEpoch: epochLine });
      return { onnxBytes: build.onnxBytes, manifest: shapesManifest(build), summary: accuracyLine(build.heldOutAccuracy, build.info.evalSamples, build.trainAccuracy) };
    },
    calibration: shapesCalibration,
  },
  [TOKENS_WORKLOAD_NAME]: {
    train: () => {
      const build = buildTokensModel({ onEpoch: epochLine });
      return { onnxBytes: build.onnxBytes, manifest: tokensManifest(build), summary: accuracyLine(build.heldOutAccuracy, build.info.evalSamples, build.trainAccuracy) };
    },
    calibration: tokensCalibration,
  },
};

async function generate(name: string, workload: BuiltinWorkload, derivedOnly: boolean): Promise<void> {
  const started = performance.now();
  const directory = join(BUILTIN_WORKLOADS_DIR, name);
  mkdirSync(directory, { recursive: true });
  if (!derivedOnly) {
    const trained = workload.train();
    writeFileSync(join(directory, 'model.onnx'), trained.onnxBytes);
    writeFileSync(join(directory, 'model.json'), `${JSON.stringify(trained.manifest, null, 2)}\n`);
    console.log(`  model.onnx: ${trained.onnxBytes.byteLength} bytes, sha256 ${String(trained.manifest['sha256'])}; ${trained.summary}`);
  }
  // Calibration draws from the workload's own dataset seed, train split.
  const { dataset } = JSON.parse(readFileSync(join(directory, 'workload.json'), 'utf8')) as { dataset: { seed: number } };
  await writeDerivedModels(directory, workload.calibration(dataset.seed), (line) => console.log(line));
  console.log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function main(args: readonly string[]): Promise<void> {
  const derivedOnly = args.includes('--derived-only');
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
  const names = only === undefined ? [...Object.keys(BUILTINS), TINY_LLM_NAME] : [only];
  for (const name of names) {
    if (name === TINY_LLM_NAME) {
      // The decoder has no precision variants or calibration set: its own generator, and nothing derived to rebuild.
      if (derivedOnly) continue;
      console.log(`generating ${name} ...`);
      await generateTinyLlm(join(BUILTIN_WORKLOADS_DIR, name), (line) => console.log(line));
      continue;
    }
    const workload = BUILTINS[name];
    if (workload === undefined) throw new Error(`--only ${name}: no built-in workload of that name (${[...Object.keys(BUILTINS), TINY_LLM_NAME].join(', ')})`);
    console.log(`generating ${name}${derivedOnly ? ' (variants and TF.js from the committed model.onnx)' : ''} ...`);
    await generate(name, workload, derivedOnly);
  }
}

await main(process.argv.slice(2));
