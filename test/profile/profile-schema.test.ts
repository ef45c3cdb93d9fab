import { describe, expect, it } from 'vitest';
import { profilePlanFromFlags } from '../../src/profile/profile-plan.js';
import { bestRows } from '../../src/profile/rank.js';
import { runProfile } from '../../src/profile/run-profile.js';
import { PROFILE_SCHEMA_VERSION, type ProfileResult } from '../../src/profile/types.js';
import { validateProfile } from '../../src/profile/validate-profile.js';
import { FakeRunner, ran, top1 } from './fake-cells.js';

/** A two-variant ort profile with an int8-static calibration record, as the code produces it. */
async function profile(): Promise<ProfileResult> {
  const { plan } = profilePlanFromFlags(
    {
      precisions: 'fp32,int8-static',
      backends: 'ort',
      scenarios: 'offline',
      threads: '1,2',
      providers: 'cpu',
      graphOptimizations: 'all',
      executionModes: 'sequential',
      tfjsBackends: 'auto',
      profile: 'quick',
      passThrough: { 'min-duration-ms': 500 },
    },
    { name: 'w', source: '/w.json', accuracyMetric: 'top1', precisions: ['fp32', 'int8-static'] },
  );
  const calibration = { method: 'minmax', sampleCount: 64, samples: 'train split 0..63', activations: 'uint8 per tensor', weights: 'int8 per channel' };
  const runner = new FakeRunner((step, runId) =>
    ran(step, { accuracy: top1(step.precision === 'fp32' ? 1004 : 1000), outputsFile: '/o.bin', calibration: step.precision === 'fp32' ? null : calibration }, runId),
  );
  const { rows } = await runProfile({ plan: plan!, runner, signal: new AbortController().signal });
  return {
    schemaVersion: PROFILE_SCHEMA_VERSION,
    kind: 'profile',
    tool: { name: 'mlbench', version: '0.1.0' },
    profileId: 'profile-20260101T000000Z-abcdef',
    startedAt: '2026-01-01T00:00:00.000Z',
    status: 'aborted',
    plan: plan!,
    system: { hostname: 'test', os: { platform: 'linux', release: '6', arch: 'x64' }, cpu: { model: 'cpu', cores: 2, flags: [] }, memoryBytes: 1, node: 'v20', gpus: [], gpuNote: null },
    rows,
    best: bestRows(rows, plan!.scenarios),
  };
}

describe('schemas/profile.schema.json', () => {
  it('accepts a profile the code produces, calibration record included', async () => {
    const doc = await profile();
    expect(doc.rows.map((r) => r.calibration?.method ?? null)).toEqual([null, 'minmax', null, 'minmax']);
    expect(validateProfile(JSON.parse(JSON.stringify(doc)), 'profile.json')).toEqual([]);
  });

  it('rejects a row with a field left out, an unknown field, a wrong status or variant, and names them', async () => {
    const doc = JSON.parse(JSON.stringify(await profile())) as Record<string, unknown> & { rows: Record<string, unknown>[]; plan: { variants: Record<string, unknown>[] } };
    delete doc.rows[0]!['peakRssBytes'];
    doc.rows[1]!['extra'] = 1;
    doc.rows[2]!['status'] = 'skipped';
    doc.plan.variants[0]!['provider'] = 'gpu';
    doc['kind'] = 'sweep';
    const text = validateProfile(doc, 'profile.json')
      .map((p) => `${p.path} ${p.message}`)
      .join('\n');
    expect(text).toContain('peakRssBytes');
    expect(text).toContain('extra');
    expect(text).toContain("$.rows[2].status expected one of 'ok', 'unsupported', 'failed'");
    expect(text).toContain('$.plan.variants[0].provider');
    expect(text).toContain('$.kind');
  });
});

describe('schemas/profile.schema.json 1.2: repetitions, additive', () => {
  it('a 1.1 document (no plan.repetitions, no row repetitions) still validates', async () => {
    const doc = JSON.parse(JSON.stringify(await profile())) as Record<string, unknown> & { plan: Record<string, unknown> };
    delete doc.plan['repetitions'];
    doc['schemaVersion'] = '1.1.0';
    expect(validateProfile(doc, 'profile.json')).toEqual([]);
  });

  it('rejects row repetitions with a count under 2, a run without its folder, or an unknown field', async () => {
    const doc = JSON.parse(JSON.stringify(await profile())) as { rows: Record<string, unknown>[] };
    const run = { status: 'ok', value: 1, valid: true, resultDir: 'runs/a', reason: null };
    doc.rows[0]!['repetitions'] = { count: 1, valid: 1, values: [1], min: 1, max: 1, runs: [run] };
    const { resultDir: _, ...withoutDir } = run;
    doc.rows[1]!['repetitions'] = { count: 2, valid: 1, values: [1], min: 1, max: 1, runs: [withoutDir], median: 1 };
    const text = validateProfile(doc, 'profile.json')
      .map((p) => `${p.path} ${p.message}`)
      .join('\n');
    expect(text).toContain('$.rows[0].repetitions.count');
    expect(text).toContain('resultDir');
    expect(text).toContain('median');
  });
});
