/**
 * `npm run generate:models -- --only tiny-llm`: builds workloads/tiny-llm/model.onnx and
 * model.json. Training takes too long for a test to rebuild the committed bytes, so this
 * builds twice and refuses to write when the two builds differ: determinism is checked here.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTinyLlm, type Trainer } from './build.js';
import { trainDecoder } from './training/train.js';

export async function generateTinyLlm(directory: string, log: (line: string) => void): Promise<void> {
  let started = 0;
  const train: Trainer = (shape, params) => {
    started = performance.now();
    const summary = trainDecoder(shape, params, undefined, (step, meanLoss) => {
      if (step % 50 === 0) log(`  step ${step}: loss ${meanLoss.toFixed(4)} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    });
    log(`  trained on ${summary.tokens} tokens in ${((performance.now() - started) / 1000).toFixed(1)} s: loss ${summary.firstLoss} -> ${summary.finalLoss}`);
    return summary;
  };
  mkdirSync(directory, { recursive: true });
  const first = buildTinyLlm(undefined, train);
  log(`  model.onnx: ${first.onnxBytes.byteLength} bytes, sha256 ${String(first.manifest['sha256'])}`);
  log('  building again to check the build is deterministic ...');
  const second = buildTinyLlm(undefined, train);
  if (second.manifest['sha256'] !== first.manifest['sha256']) {
    throw new Error(`tiny-llm: two builds differ (${String(first.manifest['sha256'])} vs ${String(second.manifest['sha256'])}); nothing written`);
  }
  writeFileSync(join(directory, 'model.onnx'), first.onnxBytes);
  writeFileSync(join(directory, 'model.json'), `${JSON.stringify(first.manifest, null, 2)}\n`);
  log('  identical; written');
}
