import { describe, expect, it } from 'vitest';
import { formatProfile } from '../../src/profile/format-profile.js';
import { profilePlanFromFlags } from '../../src/profile/profile-plan.js';
import { bestRows } from '../../src/profile/rank.js';
import { runProfile } from '../../src/profile/run-profile.js';
import type { CellStep, ChildOutcome } from '../../src/profile/runner.js';
import { PROFILE_SCHEMA_VERSION, type ProfilePlan, type ProfileResult, type ProfileRow } from '../../src/profile/types.js';
import { validateProfile } from '../../src/profile/validate-profile.js';
import { exited, FakeRunner, ran, stepName, top1 } from './fake-cells.js';

function planOf(repetitions: string): ProfilePlan {
  const { plan, problems } = profilePlanFromFlags(
    {
      precisions: 'fp32,fp16,int8-dynamic,int8-static',
      backends: 'ort',
      scenarios: 'offline,singlestream',
      threads: '0',
      providers: 'cpu',
      graphOptimizations: 'all',
      executionModes: 'sequential',
      tfjsBackends: 'auto',
      profile: 'quick',
      passThrough: {},
      repetitions,
    },
    { name: 'shapes-cnn', source: '/w/workload.json', accuracyMetric: 'top1', precisions: ['fp32', 'fp16', 'int8-dynamic', 'int8-static'] },
  );
  expect(problems).toEqual([]);
  return plan!;
}

/** Each performance run's value, repetition by repetition; INVALID ones marked. */
const VALUES: Record<string, readonly (number | 'INVALID 5000' | 'failed' | 'unsupported')[]> = {
  'ort fp32 offline': [900, 1000, 1100],
  'ort fp32 singlestream': [2, 2.2, 1.8],
  // The second repetition is INVALID: listed, not in the median.
  'ort fp16 offline': [1300, 'INVALID 5000', 1250],
  'ort int8-dynamic offline': [3000, 'failed', 1200],
  'ort int8-dynamic singlestream': ['unsupported'],
};

/**
 * fp32, fp16 and int8-dynamic all within 99% of fp32's top-1; int8-static's accuracy pass is
 * unsupported. fp16's SingleStream is INVALID every time (1.5, 1.4, 1.6 ms).
 */
function script() {
  const seen = new Map<string, number>();
  return (step: CellStep, runId: string): ChildOutcome => {
    const name = stepName(step);
    if (step.precision === 'int8-static') return exited(2, 'mlbench: --precision int8-static: no calibration data\n');
    if (step.mode === 'accuracy') return ran(step, { accuracy: top1(step.precision === 'fp32' ? 1004 : 1000), outputsFile: '/o.bin' }, runId);
    const repetition = seen.get(name) ?? 0;
    seen.set(name, repetition + 1);
    const unit = step.scenario === 'offline' ? 'samples/s' : 'ms';
    // Peak memory tells which repetition a row's run facts came from.
    const facts = { peakRssBytes: 100_000_000 + repetition + 1 };
    if (name === 'ort fp16 singlestream') return ran(step, { metric: { name: 'm', value: [1.5, 1.4, 1.6][repetition]!, unit }, valid: false, ...facts }, runId);
    const value = VALUES[name]?.[repetition];
    if (value === undefined) throw new Error(`no value for ${name} repetition ${repetition + 1}`);
    if (value === 'failed') return exited(4, 'mlbench: run failed\n', '{"runId": "x", "statusReason": "no sample completed (5 failed, 0 missing)"}');
    if (value === 'unsupported') return exited(2, 'mlbench: --scenario singlestream: not with this precision\n');
    if (value === 'INVALID 5000') return ran(step, { metric: { name: 'm', value: 5000, unit }, valid: false, ...facts }, runId);
    return ran(step, { metric: { name: 'm', value, unit }, ...facts }, runId);
  };
}

function profileOf(plan: ProfilePlan, rows: readonly ProfileRow[]): ProfileResult {
  return {
    schemaVersion: PROFILE_SCHEMA_VERSION,
    kind: 'profile',
    tool: { name: 'mlbench', version: '0.1.0' },
    profileId: 'profile-20260101T000000Z-abcdef',
    startedAt: '2026-01-01T00:00:00.000Z',
    status: 'completed',
    plan,
    system: { hostname: 'test', os: { platform: 'linux', release: '6', arch: 'x64' }, cpu: { model: 'cpu', cores: 2, flags: [] }, memoryBytes: 1, node: 'v20', gpus: [], gpuNote: null },
    rows: [...rows],
    best: bestRows(rows, plan.scenarios),
  };
}

const dirOf = (step: number, name: string): string => `runs/2026-${String(step).padStart(2, '0')}-ort-${name}`;

describe('runProfile --repetitions 3', () => {
  it('round 1 is the plan order with the accuracy passes; later rounds repeat every performance run in that order', async () => {
    const runner = new FakeRunner(script());
    await runProfile({ plan: planOf('3'), runner, signal: new AbortController().signal });
    const round = ['fp32 offline', 'fp32 singlestream', 'fp16 offline', 'fp16 singlestream', 'int8-dynamic offline'].map((s) => `ort ${s}`);
    expect(runner.steps.map(stepName)).toEqual([
      'ort fp32 accuracy',
      'ort fp32 offline',
      'ort fp32 singlestream',
      'ort fp16 accuracy',
      'ort fp16 offline',
      'ort fp16 singlestream',
      'ort int8-dynamic accuracy',
      'ort int8-dynamic offline',
      // Unsupported here: its later repetitions are not run.
      'ort int8-dynamic singlestream',
      // Its accuracy pass is unsupported: nothing else of the cell runs.
      'ort int8-static accuracy',
      ...round,
      ...round,
    ]);
  });

  it('each row: the median of its counted repetitions, their range, every run named, run facts of the one nearest the median', async () => {
    const { rows, aborted } = await runProfile({ plan: planOf('3'), runner: new FakeRunner(script()), signal: new AbortController().signal });
    expect(aborted).toBe(false);
    expect(rows.map((r) => `${r.precision} ${r.scenario} ${r.status} ${r.metric?.value ?? '-'} ${r.valid}`)).toEqual([
      'fp32 offline ok 1000 true',
      'fp32 singlestream ok 2 true',
      'fp16 offline ok 1275 true',
      'fp16 singlestream ok 1.5 false',
      'int8-dynamic offline ok 2100 true',
      'int8-dynamic singlestream unsupported - null',
      'int8-static offline unsupported - null',
      'int8-static singlestream unsupported - null',
    ]);
    const [fp32, fp32Single, fp16, fp16Single, int8, int8Single, int8Static] = rows;
    const ok = (step: number, name: string, value: number, valid = true) => ({ status: 'ok', value, valid, resultDir: dirOf(step, name), reason: null });
    expect(fp32!.repetitions).toEqual({
      count: 3,
      valid: 3,
      values: [900, 1000, 1100],
      min: 900,
      max: 1100,
      runs: [ok(2, 'fp32-offline', 900), ok(11, 'fp32-offline', 1000), ok(16, 'fp32-offline', 1100)],
    });
    // 1000 is the second repetition's: its folder, memory and all.
    expect(fp32).toMatchObject({ resultDir: dirOf(11, 'fp32-offline'), peakRssBytes: 100_000_002, metric: { name: 'm', value: 1000, unit: 'samples/s' } });
    expect(fp32Single).toMatchObject({ resultDir: dirOf(3, 'fp32-singlestream'), repetitions: { values: [2, 2.2, 1.8], min: 1.8, max: 2.2 } });
    // The INVALID 5000 is listed but left out: median of 1300 and 1250; both 25 from it, the first is taken.
    expect(fp16!.repetitions).toEqual({
      count: 3,
      valid: 2,
      values: [1300, 1250],
      min: 1250,
      max: 1300,
      runs: [ok(5, 'fp16-offline', 1300), ok(13, 'fp16-offline', 5000, false), ok(18, 'fp16-offline', 1250)],
    });
    expect(fp16).toMatchObject({ resultDir: dirOf(5, 'fp16-offline'), peakRssBytes: 100_000_001 });
    // None VALID: the row is INVALID, its median over every measured value.
    expect(fp16Single).toMatchObject({ valid: false, metric: { value: 1.5 }, repetitions: { valid: 0, values: [1.5, 1.4, 1.6], min: 1.4, max: 1.6 } });
    // A failed repetition is listed with its reason; the median is over the two that ran.
    expect(int8!.repetitions).toEqual({
      count: 3,
      valid: 2,
      values: [3000, 1200],
      min: 1200,
      max: 3000,
      runs: [
        ok(8, 'int8-dynamic-offline', 3000),
        { status: 'failed', value: null, valid: null, resultDir: null, reason: 'run failed: no sample completed (5 failed, 0 missing)' },
        ok(20, 'int8-dynamic-offline', 1200),
      ],
    });
    expect(int8Single).toMatchObject({
      status: 'unsupported',
      reason: '--scenario singlestream: not with this precision',
      repetitions: { count: 3, valid: 0, values: [], min: null, max: null, runs: [{ status: 'unsupported', value: null, reason: '--scenario singlestream: not with this precision' }] },
    });
    expect(int8Static!.repetitions).toBeUndefined();
    expect(validateProfile(JSON.parse(JSON.stringify(profileOf(planOf('3'), rows))), 'profile.json')).toEqual([]);
  });

  it('best on medians and ranges; the table shows median (min-max) and VALID ones of those asked for', async () => {
    const plan = planOf('3');
    const { rows } = await runProfile({ plan, runner: new FakeRunner(script()), signal: new AbortController().signal });
    const profile = profileOf(plan, rows);
    // int8-dynamic leads Offline by median (2100) but its 1200-3000 overlaps fp16's 1250-1300;
    // fp32's 900-1100 is clear of it.
    expect(profile.best.offline).toMatchObject({ row: 4, precision: 'int8-dynamic', metric: { value: 2100 }, tiedWith: [2] });
    // SingleStream: fp16 is INVALID, int8-dynamic unsupported: fp32 alone.
    expect(profile.best.singlestream).toMatchObject({ row: 1, tiedWith: [] });

    const text = formatProfile(profile);
    const cells = (l: string): string[] => l.split('│').map((c) => c.trim());
    const line = (precision: string, scenario: string): string[] =>
      text
        .split('\n')
        .filter((l) => l.startsWith('│'))
        .map(cells)
        .find((c) => c[1] === 'ort' && c[2] === precision && c[3] === scenario)!;
    expect(line('int8-dynamic', 'offline').slice(4, 6)).toEqual(['2100.0 (1200.0-3000.0) samples/s ≈ tied best', 'VALID 2/3']);
    expect(line('fp16', 'offline').slice(4, 6)).toEqual(['1275.0 (1250.0-1300.0) samples/s ≈ tied best', 'VALID 2/3']);
    expect(line('fp32', 'offline').slice(4, 6)).toEqual(['1000.0 (900.0-1100.0) samples/s', 'VALID 3/3']);
    expect(line('fp32', 'singlestream').slice(4, 6)).toEqual(['2.000 (1.800-2.200) ms ★ best', 'VALID 3/3']);
    expect(line('fp16', 'singlestream').slice(4, 6)).toEqual(['1.500 (1.400-1.600) ms', 'INVALID 0/3']);
    expect(text).toContain(
      "best offline: no clear winner: ort int8-dynamic 2100.0 (1200.0-3000.0) samples/s, ort fp16 1275.0 (1250.0-1300.0) samples/s overlap the best's range (a row with a single value: within 2x)",
    );
    expect(text).toContain('best singlestream: ort fp32, 2.000 (1.800-2.200) ms');
    expect(text).toContain('each metric: the median (min-max) of 3 repetitions, run in rounds across every cell');
    expect(text).toContain('its range clear of every other');
    expect(text).not.toContain('ahead of every other by at least 2x');
  });

  it('progress: each repetition numbered, skipped repetitions counted', async () => {
    let text = '';
    await runProfile({
      plan: planOf('3'),
      runner: new FakeRunner(script()),
      signal: new AbortController().signal,
      onProgress: (line) => {
        text += line;
      },
      nowMs: () => 0,
    });
    expect(text.split('\n')).toEqual([
      '[1/28] ort fp32 accuracy ... top1 98.05% (reference) (0.0 s)',
      '[2/28] ort fp32 offline (1/3) ... 900.0 samples/s, VALID (0.0 s)',
      '[3/28] ort fp32 singlestream (1/3) ... 2.000 ms, VALID (0.0 s)',
      '[4/28] ort fp16 accuracy ... top1 97.66%, -0.39 pp vs fp32 (0.0 s)',
      '[5/28] ort fp16 offline (1/3) ... 1300.0 samples/s, VALID (0.0 s)',
      '[6/28] ort fp16 singlestream (1/3) ... 1.500 ms, INVALID (0.0 s)',
      '[7/28] ort int8-dynamic accuracy ... top1 97.66%, -0.39 pp vs fp32 (0.0 s)',
      '[8/28] ort int8-dynamic offline (1/3) ... 3000.0 samples/s, VALID (0.0 s)',
      '[9/28] ort int8-dynamic singlestream (1/3) ... unsupported here: --scenario singlestream: not with this precision (0.0 s)',
      '[10-11/28] ort int8-dynamic singlestream (2-3/3): skipped, unsupported here',
      '[12/28] ort int8-static accuracy ... unsupported here: --precision int8-static: no calibration data (0.0 s)',
      '[13-15/28] ort int8-static offline: skipped, the accuracy pass is unsupported here',
      '[16-18/28] ort int8-static singlestream: skipped, the accuracy pass is unsupported here',
      '[19/28] ort fp32 offline (2/3) ... 1000.0 samples/s, VALID (0.0 s)',
      '[20/28] ort fp32 singlestream (2/3) ... 2.200 ms, VALID (0.0 s)',
      '[21/28] ort fp16 offline (2/3) ... 5000.0 samples/s, INVALID (0.0 s)',
      '[22/28] ort fp16 singlestream (2/3) ... 1.400 ms, INVALID (0.0 s)',
      '[23/28] ort int8-dynamic offline (2/3) ... failed: run failed: no sample completed (5 failed, 0 missing) (0.0 s)',
      '[24/28] ort fp32 offline (3/3) ... 1100.0 samples/s, VALID (0.0 s)',
      '[25/28] ort fp32 singlestream (3/3) ... 1.800 ms, VALID (0.0 s)',
      '[26/28] ort fp16 offline (3/3) ... 1250.0 samples/s, VALID (0.0 s)',
      '[27/28] ort fp16 singlestream (3/3) ... 1.600 ms, INVALID (0.0 s)',
      '[28/28] ort int8-dynamic offline (3/3) ... 1200.0 samples/s, VALID (0.0 s)',
      '',
    ]);
  });

  it('an interrupt in round 2 keeps every row with the repetitions done so far', async () => {
    const controller = new AbortController();
    const answer = script();
    const runner = new FakeRunner((step, runId) => {
      // Ctrl-C during fp16's second Offline run: the child exits 130.
      if (runner.steps.length === 13) {
        controller.abort();
        return exited(130, 'SIGINT: stopping\n');
      }
      return answer(step, runId);
    });
    const snapshots: number[] = [];
    const { rows, aborted } = await runProfile({ plan: planOf('3'), runner, signal: controller.signal, onRows: (r) => snapshots.push(r.length) });
    expect(aborted).toBe(true);
    expect(runner.steps).toHaveLength(13);
    expect(rows.map((r) => r.repetitions?.runs.length ?? null)).toEqual([2, 2, 1, 1, 1, 1, null, null]);
    expect(rows[0]).toMatchObject({ metric: { value: 950 }, repetitions: { count: 3, values: [900, 1000], min: 900, max: 1000 } });
    expect(rows[2]).toMatchObject({ metric: { value: 1300 }, repetitions: { values: [1300] } });
    // A snapshot after each row of round 1 and each repetition of round 2 that completed.
    expect(snapshots).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 8, 8]);
  });
});
