import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { loadTfjsRuntime } from '../../src/tfjs/runtimes.js';

const require = createRequire(import.meta.url);
function installed(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}
// tfjs-node and tfjs-node-gpu are optional peers that npm never installs for mlbench: absent here and in CI.
const nodeAbsent = !installed('@tensorflow/tfjs-node') && !installed('@tensorflow/tfjs-node-gpu');

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('it started');
}

describe('choosing a TF.js runtime', () => {
  it.runIf(nodeAbsent)("'auto' takes wasm when tfjs-node is absent, saying why node-gpu and node were skipped", async () => {
    const loaded = await loadTfjsRuntime('auto', 0);
    expect(loaded.runtime).toBe('wasm');
    expect(loaded.tf.getBackend()).toBe('wasm');
    expect(loaded.notes).toEqual([
      'node-gpu skipped: @tensorflow/tfjs-node-gpu is not installed: npm install @tensorflow/tfjs-node-gpu (its install downloads libtensorflow with CUDA; needs an NVIDIA GPU, CUDA and cuDNN)',
      'node skipped: @tensorflow/tfjs-node is not installed: npm install @tensorflow/tfjs-node (its install downloads libtensorflow)',
    ]);
    expect(loaded.versions).toEqual({ '@tensorflow/tfjs-core': expect.stringMatching(/^4\./), '@tensorflow/tfjs-backend-wasm': expect.stringMatching(/^4\./) });
  });

  it.runIf(nodeAbsent)("an explicit 'node' or 'node-gpu' that is not installed is a backend UserError with install advice", async () => {
    const node = await rejection(loadTfjsRuntime('node', 0));
    expect(node.kind).toBe('backend');
    expect(node.message).toBe('--tfjs-backend node: @tensorflow/tfjs-node is not installed: npm install @tensorflow/tfjs-node (its install downloads libtensorflow)');
    const gpu = await rejection(loadTfjsRuntime('node-gpu', 0));
    expect(gpu.kind).toBe('backend');
    expect(gpu.message).toContain('npm install @tensorflow/tfjs-node-gpu');
  });

  it("'cpu' runs, with no thread setting, and says when threads were asked for", async () => {
    const loaded = await loadTfjsRuntime('cpu', 4);
    expect(loaded.runtime).toBe('cpu');
    expect(loaded.tf.getBackend()).toBe('cpu');
    expect(loaded.threads).toBeNull();
    expect(loaded.notes).toEqual(['the cpu runtime is single-threaded JavaScript; 4 thread(s) asked, 1 ran']);
    expect(loaded.tf.sum(loaded.tf.tensor1d([1, 2, 3])).dataSync()).toEqual(Float32Array.of(6));
  });

  it('wasm in Node runs one thread whatever is asked, and says why', async () => {
    const loaded = await loadTfjsRuntime('wasm', 2);
    expect(loaded.runtime).toBe('wasm');
    expect(loaded.threads).toBe(1);
    expect(loaded.notes).toEqual([expect.stringMatching(/^wasm ran 1 thread\(s\), not 2: tfjs-backend-wasm turns multithreading off under Node/)]);
  });

  it('a negative thread count is a flag error', async () => {
    expect((await rejection(loadTfjsRuntime('cpu', -1))).kind).toBe('flag');
  });
});
