import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { resolveSettings } from '../../src/cli/resolve-settings.js';
import { OFFICIAL_SEEDS } from '../../src/loadgen/settings.js';
import { tempDir } from '../helpers/cli.js';

const base = { mode: 'performance' as const, profile: 'quick', scenarioFile: null, workloadDefaults: {}, flags: {} };

describe('resolving settings', () => {
  it('layers built-in defaults < scenario file < workload defaults < flags', () => {
    const { effective, requested } = resolveSettings({
      ...base,
      scenario: 'server',
      workloadDefaults: { server: { latencyBoundMs: 10, minDurationMs: 5000 }, offline: { minDurationMs: 1 } },
      flags: { minDurationMs: 2000, seeds: { schedule: '42' } },
    });
    expect(effective).toMatchObject({
      scenario: 'server',
      latencyPercentile: 99, // scenarios/quick/server.json
      minQueryCount: 100, // scenarios/quick/server.json
      latencyBoundMs: 10, // the workload's server defaults
      minDurationMs: 2000, // the flag
      maxQueryCount: 0, // built-in
      seeds: { ...OFFICIAL_SEEDS, schedule: '42' },
    });
    expect(Object.isFrozen(effective)).toBe(true);
    expect(requested['flags']).toEqual({ minDurationMs: 2000, seeds: { schedule: '42' } });
  });

  it("a user's scenario file decides the scenario, and that scenario's workload defaults apply", () => {
    const dir = tempDir('resolve');
    const file = join(dir, 'mine.json');
    writeFileSync(file, JSON.stringify({ scenario: 'server', profile: 'mine', description: 'x', settings: { minDurationMs: 3000 } }));
    const { effective } = resolveSettings({
      ...base,
      scenario: 'singlestream',
      scenarioFile: file,
      workloadDefaults: { server: { latencyBoundMs: 7 }, singlestream: { latencyBoundMs: 99 } },
    });
    expect(effective.scenario).toBe('server');
    expect(effective.latencyBoundMs).toBe(7);
    expect(effective.minDurationMs).toBe(3000);
  });

  it('reports every problem at once, naming the flags', () => {
    let error: unknown;
    try {
      resolveSettings({ ...base, scenario: 'server', flags: { minQueryCount: 0, targetQps: -5, latencyPercentile: 0.99 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).toContain('flag --min-query-count');
    expect(message).toContain('flag --target-qps');
    expect(message).toContain('did you mean 99?');
    expect(message).toContain('flag --latency-bound-ms');
  });

  it('names a profile that does not exist', () => {
    expect(() => resolveSettings({ ...base, scenario: 'server', profile: 'fast' })).toThrow(/--profile fast: no such profile/);
  });
});
