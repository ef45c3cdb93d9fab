import { describe, expect, it } from 'vitest';
import { groupIdentities } from '../../src/compare/group.js';
import { identityOf } from '../../src/compare/identity.js';
import type { ResultInput } from '../../src/compare/types.js';
import type { RunResult } from '../../src/results/types.js';
import { baseline, regressed, sweep, withinLimits } from '../fixtures/compare/inputs.js';
import { resultWith } from '../fixtures/result-fixture.js';

const run = (result: RunResult): ResultInput => ({ kind: 'result', file: 'result.json', result });

describe('identity of an input', () => {
  it('names system, backend, workload, model, scenario and key settings', () => {
    expect(identityOf(run(baseline))).toEqual([
      { key: 'system.hostname', value: 'bench-01' },
      { key: 'system.cpu', value: 'AMD EPYC 7763 64-Core Processor' },
      { key: 'system.gpus', value: 'none' },
      { key: 'backend.name', value: 'ort' },
      { key: 'backend.versions', value: 'onnxruntime-node 1.30.0' },
      { key: 'backend.provider', value: 'cpu' },
      { key: 'precision', value: null },
      { key: 'backend.intraOpThreads', value: '2' },
      { key: 'backend.interOpThreads', value: '1' },
      { key: 'backend.graphOptimization', value: 'all' },
      { key: 'backend.executionMode', value: 'sequential' },
      { key: 'workload', value: 'shapes-cnn' },
      { key: 'model', value: '3f2a9c1b4e5d' },
      { key: 'scenario', value: 'server' },
      { key: 'mode', value: 'performance' },
      { key: 'settings.targetQps', value: '400' },
      { key: 'settings.latencyBoundMs', value: '15' },
      { key: 'settings.latencyPercentile', value: '99' },
      { key: 'settings.samplesPerQuery', value: null },
      { key: 'settings.minDurationMs', value: '10000' },
      { key: 'settings.ttftBoundMs', value: null },
      { key: 'settings.tpotBoundMs', value: null },
      { key: 'llm.promptSet', value: null },
    ]);
  });

  it('takes precision from the backend settings when one names it', () => {
    const fp16 = resultWith((r) => {
      r.backend.settings['precision'] = 'fp16';
      r.system.gpus = [{ name: 'NVIDIA H100', memoryMiB: 81_559, driver: '550.54' }];
    });
    const identity = identityOf(run(fp16));
    expect(identity).toContainEqual({ key: 'precision', value: 'fp16' });
    expect(identity).toContainEqual({ key: 'system.gpus', value: 'NVIDIA H100' });
  });

  it('a sweep: its mode and method as the scenario', () => {
    expect(identityOf({ kind: 'sweep', file: 'sweep.json', sweep })).toContainEqual({ key: 'scenario', value: 'sweep (server, find-peak)' });
  });
});

describe('groupIdentities: what differs becomes columns, the rest a header', () => {
  it('finds the varying fields in first-seen order', () => {
    const { same, varies } = groupIdentities([baseline, withinLimits, regressed].map((r) => identityOf(run(r))));
    expect(varies).toEqual(['system.hostname', 'backend.provider']);
    expect(same.map((f) => f.key)).not.toContain('precision');
    expect(same).toContainEqual({ key: 'system.cpu', value: 'AMD EPYC 7763 64-Core Processor' });
  });

  it('a field one input lacks differs from one that has it', () => {
    const { varies } = groupIdentities([[{ key: 'a', value: '1' }], [{ key: 'a', value: null }], [{ key: 'b', value: '2' }]]);
    expect(varies).toEqual(['a', 'b']);
  });
});
