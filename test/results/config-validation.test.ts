import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../src/results/validate.js';

const scenarioFile = (settings: Record<string, unknown>): Record<string, unknown> => ({
  scenario: 'server',
  profile: 'quick',
  description: 'test',
  settings,
});

const workloadFile = (changes: Record<string, unknown>): Record<string, unknown> => ({
  name: 'shapes-cnn',
  description: 'A small CNN on generated shapes.',
  task: 'image-classification',
  model: { path: 'model.onnx' },
  dataset: { kind: 'generated', generator: 'shapes', seed: 1, split: 'eval', sampleCount: 1000 },
  performanceSampleCount: 1000,
  accuracy: { metric: 'top1', target: 0.95 },
  defaults: { server: { latencyBoundMs: 15 } },
  ...changes,
});

describe('scenario files', () => {
  it('reports every mistake at once, each at its path', () => {
    const problems = validateDocument(
      'scenario',
      scenarioFile({ minDurationMs: '10s', latencyPercentile: 100, seeds: { schedule: 42 } }),
      'my-server.json',
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      '$.settings.latencyPercentile',
      '$.settings.minDurationMs',
      '$.settings.seeds.schedule',
    ]);
    expect(problems.every((p) => p.source === 'my-server.json')).toBe(true);
    const byPath = new Map(problems.map((p) => [p.path, p.message]));
    expect(byPath.get('$.settings.minDurationMs')).toContain('expected number, found string "10s"');
    expect(byPath.get('$.settings.latencyPercentile')).toContain('< 100');
    expect(byPath.get('$.settings.seeds.schedule')).toContain('expected string, found number 42');
  });

  it('accepts a partial seeds override: the others keep their defaults', () => {
    expect(validateDocument('scenario', scenarioFile({ seeds: { schedule: '42' } }), 'my-server.json')).toEqual([]);
  });

  it('suggests the intended name for a typo', () => {
    const problems = validateDocument('scenario', scenarioFile({ minDurationSec: 10 }), 'my-server.json');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('$.settings.minDurationSec');
    expect(problems[0]?.message).toContain("did you mean 'minDurationMs'?");
  });

  it('names a misspelt scenario and the allowed ones', () => {
    const problems = validateDocument('scenario', { ...scenarioFile({}), scenario: 'sever' }, 'my-server.json');
    expect(problems.map((p) => p.path)).toEqual(['$.scenario']);
    expect(problems[0]?.message).toContain("did you mean 'server'?");
  });
});

describe('workload files', () => {
  it('accepts a complete workload', () => {
    expect(validateDocument('workload', workloadFile({}), 'workload.json')).toEqual([]);
  });

  it('reports every mistake at once, each at its path', () => {
    const problems = validateDocument(
      'workload',
      workloadFile({
        name: 'Shapes CNN',
        accuracy: { metric: 'top1', target: 95 },
        defaults: { server: { latencyBoundMs: 15, targetQPS: 400 } },
      }),
      'workload.json',
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      '$.accuracy.target',
      '$.defaults.server.targetQPS',
      '$.name',
    ]);
    const byPath = new Map(problems.map((p) => [p.path, p.message]));
    expect(byPath.get('$.name')).toContain('kebab-case');
    expect(byPath.get('$.accuracy.target')).toContain('<= 1');
    expect(byPath.get('$.defaults.server.targetQPS')).toContain("did you mean 'targetQps'?");
  });

  it('names the dataset kinds when the kind is wrong', () => {
    const problems = validateDocument('workload', workloadFile({ dataset: { kind: 'generate', seed: 1, sampleCount: 10 } }), 'w.json');
    expect(problems.map((p) => p.path)).toEqual(['$.dataset.kind']);
    expect(problems[0]?.message).toContain("'generated', 'random'");
    expect(problems[0]?.message).toContain("did you mean 'generated'?");
  });
});

describe('the shipped scenario files', () => {
  const root = new URL('../../scenarios/', import.meta.url);
  for (const profile of ['quick', 'official']) {
    const dir = new URL(`${profile}/`, root);
    const files = readdirSync(dir).filter((name) => name.endsWith('.json'));
    it(`${profile}: has the four scenarios`, () => {
      expect(files.sort()).toEqual(['multistream.json', 'offline.json', 'server.json', 'singlestream.json']);
    });
    for (const name of files) {
      it(`${profile}/${name} validates`, () => {
        const data: unknown = JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
        expect(validateDocument('scenario', data, `${profile}/${name}`)).toEqual([]);
      });
    }
  }
});
