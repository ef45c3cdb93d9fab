import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TfjsBackend } from '../../src/backends/tfjs-backend.js';
import type { SampleFeeds } from '../../src/backends/types.js';
import { loadTfjsRuntime } from '../../src/tfjs/runtimes.js';
import { BUILTIN_WORKLOADS_DIR } from '../../src/workloads/paths.js';
import { makeShapesSample } from '../../src/workloads/shapes/dataset.js';

const MODEL = join(BUILTIN_WORKLOADS_DIR, 'shapes-cnn', 'tfjs', 'model.json');
const samples: SampleFeeds[] = Array.from({ length: 4 }, (_, i) => ({ image: { data: makeShapesSample(7, 'eval', i).pixels, dims: [3, 32, 32] } }));

describe.each(['wasm', 'cpu'] as const)('TfjsBackend on %s frees every tensor it makes', (runtime) => {
  it('tf.memory() counts the same tensors and bytes after 40 batches as after the first', async () => {
    const { tf } = await loadTfjsRuntime(runtime, 0);
    const before = tf.memory().numTensors;
    const backend = await TfjsBackend.create({ modelPath: MODEL, runtime, threads: 0 });
    await backend.infer(samples);
    const settled = tf.memory();
    for (let i = 0; i < 20; i++) {
      await backend.infer(samples);
      await backend.infer([samples[i % samples.length]!]);
    }
    expect(tf.memory().numTensors).toBe(settled.numTensors);
    expect(tf.memory().numBytes).toBe(settled.numBytes);
    await backend.dispose();
    // The model's weights go with it.
    expect(tf.memory().numTensors).toBe(before);
  });
});
