import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetric } from '../../src/accuracy/metrics.js';
import { BatchingSut } from '../../src/backends/batching-sut.js';
import { OrtBackend } from '../../src/backends/ort-backend.js';
import { RealClock } from '../../src/loadgen/real-clock.js';
import { runTest } from '../../src/loadgen/run-test.js';
import { collectOutputRows, firstOutputRow } from '../../src/workloads/accuracy.js';
import { resolveInputShapes } from '../../src/workloads/input-shapes.js';
import { loadWorkloadFile } from '../../src/workloads/load-workload.js';
import { BUILTIN_WORKLOADS_DIR } from '../../src/workloads/paths.js';
import { SampleLibrary } from '../../src/workloads/sample-library.js';
import { settings } from '../helpers/fakes.js';

const workload = loadWorkloadFile(join(BUILTIN_WORKLOADS_DIR, 'shapes-cnn', 'workload.json'));

describe('the onnxruntime-node backend on the default workload', () => {
  let backend: OrtBackend;
  let qsl: SampleLibrary;
  beforeAll(async () => {
    backend = await OrtBackend.create({
      modelPath: workload.modelPath,
      provider: 'cpu',
      intraOpThreads: 1,
      interOpThreads: 1,
      graphOptimization: 'all',
      executionMode: 'sequential',
      spinning: true,
    });
    qsl = new SampleLibrary(workload.name, workload.dataset, workload.performanceSampleCount, resolveInputShapes(backend.inputs, backend.dynamicBatch, new Map()).inputs);
  });
  afterAll(async () => backend.dispose());

  it('reads the declared inputs and the dynamic batch dimension, and times session creation', () => {
    expect(backend.inputs).toEqual([{ name: 'image', type: 'float32', declaredShape: ['batch', 3, 32, 32] }]);
    expect(backend.dynamicBatch).toBe(true);
    expect(backend.description.coldStartNs).toBeGreaterThan(0);
    expect(backend.description.settings['spinning']).toBe(true);
  });

  it('runs a batch of one and a batch of eight, rows agreeing', async () => {
    await qsl.loadSamples([0, 1, 2, 3, 4, 5, 6, 7]);
    const feeds = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => qsl.feeds(i));
    const batch = await backend.infer(feeds);
    expect(batch['logits']!.dims).toEqual([8, 10]);
    const single = await backend.infer([feeds[5]!]);
    const row5 = Array.from((batch['logits']!.data as Float32Array).subarray(50, 60));
    const only = Array.from(single['logits']!.data as Float32Array);
    for (const [k, v] of only.entries()) expect(v).toBeCloseTo(row5[k]!, 5);
  });

  it('stacks batches in reused buffers without mixing up runs in flight together', async () => {
    const a = [0, 1, 2, 3, 4, 5, 6, 7];
    const b = [8, 9, 10, 11, 12, 13, 14, 15];
    await qsl.loadSamples([...a, ...b]);
    const logits = async (indices: number[]): Promise<number[]> => Array.from((await backend.infer(indices.map((i) => qsl.feeds(i))))['logits']!.data as Float32Array);
    const alone = [await logits(a), await logits(b)];
    // Twice over, so the second pair runs on the buffers the first pair gave back.
    for (let round = 0; round < 2; round++) {
      const together = await Promise.all([logits(a), logits(b), logits(a)]);
      expect(together).toEqual([alone[0], alone[1], alone[0]]);
    }
  });

  it('rows that are views into one shared buffer give the same outputs as rows of their own', async () => {
    const indices = [3, 1, 4, 1, 5];
    await qsl.loadSamples(indices);
    const separate = indices.map((i) => qsl.feeds(i));
    const per = qsl.feeds(3)['image']?.data.length ?? 0;
    const joined = new Float32Array(per * indices.length);
    for (const [k, s] of separate.entries()) joined.set(s['image']!.data as Float32Array, k * per);
    const views = separate.map((s, k) => ({ image: { data: joined.subarray(k * per, (k + 1) * per), dims: s['image']!.dims } }));
    const fromViews = await backend.infer(views);
    const fromSeparate = await backend.infer(separate);
    expect(Array.from(fromViews['logits']!.data as Float32Array)).toEqual(Array.from(fromSeparate['logits']!.data as Float32Array));
  });

  it('Offline through the batching adapter, in accuracy mode: every sample once, top-1 above the target', async () => {
    const clock = new RealClock();
    const sut = new BatchingSut(backend, (i) => qsl.feeds(i), clock, { maxBatchSize: 32, maxInFlight: 1, batchWindowNs: 0 });
    sut.setPostprocess(firstOutputRow);
    const outcome = await runTest(sut, qsl, settings({ scenario: 'offline', mode: 'accuracy' }), { clock });
    expect(outcome.summary.samplesCompleted).toBe(1024);
    expect([...sut.batchSizes().entries()]).toEqual([[32, 32]]);
    const { rows, output } = collectOutputRows(outcome.recorder, 1024);
    expect(output).toBe('logits');
    expect(rows.present.every((p) => p === 1)).toBe(true);
    const top1 = computeMetric('top1', rows, { kind: 'labels', label: (i) => qsl.label(i) });
    // model.json records 0.98046875 from the pure-TS forward pass over the same 1024 samples.
    expect(Math.abs(top1 - 0.98046875)).toBeLessThanOrEqual(2 / 1024);
  });
});
