import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TfjsBackend } from '../../src/backends/tfjs-backend.js';
import type { TfjsCore } from '../../src/tfjs/runtime-loaders.js';
import { loadTfjsRuntime } from '../../src/tfjs/runtimes.js';

const require = createRequire(import.meta.url);
const layers = require('@tensorflow/tfjs-layers') as typeof import('@tensorflow/tfjs-layers');

/** What tfjs-node's file:// saver does: model.json and one weights file in `dir`. */
function fileSaveHandler(tf: TfjsCore, dir: string): io.IOHandler {
  return {
    async save(artifacts) {
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
      await writeFile(join(dir, 'weights.bin'), Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? [])));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

describe("a user's own TF.js layers model", () => {
  let dir: string;
  let tf: TfjsCore;
  let model: import('@tensorflow/tfjs-layers').Sequential;
  const rows = [Float32Array.of(0.5, -1, 2, 0.25), Float32Array.of(-0.75, 1.5, 0, 1)];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlbench-layers-'));
    tf = (await loadTfjsRuntime('cpu', 0)).tf;
    model = layers.sequential({
      layers: [
        layers.layers.dense({ inputShape: [4], units: 3, activation: 'relu', kernelInitializer: layers.initializers.glorotUniform({ seed: 1 }), biasInitializer: 'ones' }),
        layers.layers.dense({ units: 2, kernelInitializer: layers.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    await model.save(fileSaveHandler(tf, dir));
  });
  afterAll(async () => {
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads from disk and runs through TfjsBackend, giving what the model itself predicts', async () => {
    const backend = await TfjsBackend.create({ modelPath: join(dir, 'model.json'), runtime: 'cpu', threads: 0 });
    try {
      expect(backend.description.settings).toEqual({ runtime: 'cpu', threads: null, modelFormat: 'layers' });
      expect(backend.description.versions).toHaveProperty('@tensorflow/tfjs-layers');
      const inputName = model.inputs[0]!.sourceLayer.name;
      const outputName = model.outputs[0]!.sourceLayer.name;
      expect(backend.inputs).toEqual([{ name: inputName, type: 'float32', declaredShape: ['batch', 4] }]);
      expect(backend.outputs).toEqual([{ name: outputName, type: 'float32', declaredShape: ['batch', 2] }]);
      const got = await backend.infer(rows.map((data) => ({ [inputName]: { data, dims: [4] } })));
      const expected = tf.tidy(() => (model.predict(tf.tensor2d([...rows[0]!, ...rows[1]!], [2, 4])) as import('@tensorflow/tfjs-core').Tensor).dataSync());
      expect(got[outputName]).toEqual({ data: expected, dims: [2, 2] });
    } finally {
      await backend.dispose();
    }
  });
});
