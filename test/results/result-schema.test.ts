import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../src/results/validate.js';
import { REMOVE, rawResultWith, resultWith, serverResult } from '../fixtures/result-fixture.js';

const check = (data: unknown) => validateDocument('result', data, 'run/result.json');

describe('result.schema.json', () => {
  it('accepts the fixture, which TypeScript checks against RunResult', () => {
    expect(check(serverResult)).toEqual([]);
  });

  it('accepts a null metric value (no early-stopping estimate)', () => {
    const noEstimate = resultWith((d) => {
      d.summary.metric.value = null;
    });
    expect(check(noEstimate)).toEqual([]);
  });

  it('accepts the nullable parts filled in: accuracy, query latency, GPUs', () => {
    const filled = resultWith((d) => {
      d.summary.accuracy = { metric: 'top1', value: 0.973, target: 0.95, passed: true, sampleCount: 1000 };
      d.summary.queryLatency = d.summary.sampleLatency;
      d.system.gpus = [{ name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559, driver: '550.54.15' }];
      d.system.gpuNote = null;
    });
    expect(check(filled)).toEqual([]);
  });

  it('accepts the remote section of a run against a server, and rejects an unknown error kind', () => {
    const timing = serverResult.summary.sampleLatency;
    const remote = {
      protocol: 'kserve-grpc' as const,
      url: '127.0.0.1:8001',
      model: 'shapes-cnn',
      requests: 4012,
      retries: 0,
      errorsByKind: { refused: 3, 'server-error': 0, 'client-error': 0, connection: 1, timeout: 0, malformed: 0 },
      serializeNs: timing,
      networkAndServerNs: timing,
      deserializeNs: timing,
      serverQueueNs: null,
      serverComputeNs: null,
      serverTimingSource: 'the server sent no per-request timing',
      maxOutstanding: 128,
      heldBackQueries: 0,
    };
    expect(check({ ...serverResult, remote })).toEqual([]);
    const problems = check({ ...serverResult, remote: { ...remote, errorsByKind: { ...remote.errorsByKind, teapot: 1 } } });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('$.remote.errorsByKind.teapot');
  });

  it('reports a missing required field at its parent', () => {
    const problems = check(rawResultWith('summary.durationNs', REMOVE));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ source: 'run/result.json', path: '$.summary' });
    expect(problems[0]?.message).toContain("missing required property 'durationNs'");
  });

  it('reports a wrong type with what was found', () => {
    const problems = check(rawResultWith('summary.samplesFailed', '0'));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('$.summary.samplesFailed');
    expect(problems[0]?.message).toContain('expected integer, found string "0"');
  });

  it('reports an unknown property with the likely intended name', () => {
    const problems = check(rawResultWith('system.gpuz', []));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('$.system.gpuz');
    expect(problems[0]?.message).toContain("unknown property 'gpuz'");
    expect(problems[0]?.message).toContain("did you mean 'gpus'?");
  });

  it('reports a bad enum value with the allowed values', () => {
    const problems = check(rawResultWith('status', 'complete'));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('$.status');
    expect(problems[0]?.message).toContain("expected one of 'completed', 'aborted', 'failed'");
    expect(problems[0]?.message).toContain("did you mean 'completed'?");
  });

  it('rejects a non-finite number, which JSON would silently turn into null', () => {
    const problems = check(
      resultWith((d) => {
        d.summary.durationNs = Number.NaN;
      }),
    );
    expect(problems.map((p) => p.path)).toEqual(['$.summary.durationNs']);
  });
});
